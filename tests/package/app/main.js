// A typical app: imports the package, registers handlers, then initialises (COMPAT.md B).
import netlifyIdentity, { currentUser, on } from 'netlify-identity-widget';

const status = document.getElementById('status');
window.seen = [];
on('init', (user) => { window.seen.push(`init:${user ? user.email : 'nobody'}`); });
netlifyIdentity.on('login', (user) => { window.seen.push(`login:${user.email}`); status.textContent = `Hello ${user.email}`; });
window.beforeInit = { global: typeof window.netlifyIdentity, hosts: document.querySelectorAll('#netlify-identity-widget').length };
window.netlifyIdentity = netlifyIdentity; // as Decap CMS's docs tell npm users
// A bundle that copies none of the widget's files names their folder (the page says which).
const assetsUrl = document.querySelector('meta[name="identity-assets"]')?.content;
netlifyIdentity.init(assetsUrl ? { assetsUrl } : {});
window.app = { currentUser };
