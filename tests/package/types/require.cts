// The DefinitelyTyped tests' `import x = require()` form, in a CommonJS module.
import NetlifyIdentityWidget = require('netlify-identity-widget');

NetlifyIdentityWidget.init();
NetlifyIdentityWidget.init({ APIUrl: 'https://www.example.com/.netlify/functions/identity', container: 'body' });
NetlifyIdentityWidget.open();
NetlifyIdentityWidget.on('login', (user) => user.email);
const user = NetlifyIdentityWidget.currentUser();
const logoutPromise = NetlifyIdentityWidget.logout();
if (logoutPromise) logoutPromise.then(() => {});
void user;
