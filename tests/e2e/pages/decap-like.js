// Stands in for Decap CMS (COMPAT.md item 6): its bundle runs before the widget, and its
// login page mounts later and only then looks for window.netlifyIdentity, reads
// currentUser(), registers handlers and, as Decap does, calls init() again as a fallback.
window.record = [];
document.addEventListener('DOMContentLoaded', function () {
  setTimeout(function mountLoginPage() {
    var identity = window.netlifyIdentity;
    window.record.push('found:' + typeof identity);
    if (!identity) return;
    var user = identity.currentUser();
    window.record.push('user-at-mount:' + (user ? user.email : 'nobody'));
    ['init', 'login', 'logout', 'error'].forEach(function (name) {
      identity.on(name, function (argument) { window.record.push(name); });
    });
    setTimeout(function fallback() {
      identity.init();
      window.record.push('hosts:' + document.querySelectorAll('#netlify-identity-widget').length);
    }, 200);
  }, 0);
});
