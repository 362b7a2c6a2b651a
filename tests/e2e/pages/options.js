// ?options=<JSON>: what the test passes to init, beside the API URL.
var given = JSON.parse(new URLSearchParams(location.search).get('options') || '{}');
netlifyIdentity.init(Object.assign({ APIUrl: '/.netlify/identity' }, given));
window.logins = 0;
netlifyIdentity.on('login', function () { window.logins += 1; });
