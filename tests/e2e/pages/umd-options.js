window.record = [];
window.beforeInit = { hosts: document.querySelectorAll('#netlify-identity-widget').length, global: typeof window.netlifyIdentity };
netlifyIdentity.on('error', function (error) { window.record.push(error.message); });
var params = new URLSearchParams(location.search);
var options = { container: '#here', unknownOption: 42 };
if (params.get('api')) options.APIUrl = params.get('api');
if (params.get('cookieDomain')) options.cookieDomain = params.get('cookieDomain');
if (params.get('httpOnlyCookie')) options.httpOnlyCookie = true;
netlifyIdentity.init(options);
