import identity from '/build/netlify-identity.mjs';
window.record = [];
identity.on('init', (user) => window.record.push('init:' + (user ? user.email : 'nobody')));
identity.on('login', (user) => window.record.push('login:' + user.email));
window.beforeInit = { global: typeof window.netlifyIdentity, hosts: document.querySelectorAll('#netlify-identity-widget').length };
identity.init();
// COMPAT.md item 13: straight after init().
const user = identity.currentUser();
window.afterInit = { email: user ? user.email : null, storeUser: identity.store.user === user, gotrue: !!identity.store.gotrue };
window.moduleIdentity = identity;
