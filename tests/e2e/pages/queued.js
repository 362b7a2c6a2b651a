// Runs right after the widget's script, long before its wasm has loaded.
window.seen = [];
['init', 'login', 'logout', 'open', 'close', 'error'].forEach(function (name) {
  netlifyIdentity.on(name, function (argument) {
    window.seen.push(name + (typeof argument === 'string' ? ':' + argument : ''));
  });
});
window.synchronousKeys = Object.keys(window.netlifyIdentity).sort();
netlifyIdentity.init({ APIUrl: '/.netlify/identity' });
window.userAtStart = netlifyIdentity.currentUser() && netlifyIdentity.currentUser().email;
try { netlifyIdentity.open('nonsense'); } catch (error) { window.openError = error.message; }
netlifyIdentity.open('signup');
