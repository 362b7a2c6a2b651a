// What a module import gives where there is no browser (server rendering, tests in Node):
// the same API with nobody logged in, so importing never throws (COMPAT.md item 8).
/* exported serverApi */
var serverApi = (function () {
  function nothing() {}
  function refused() { return Promise.reject(new Error('netlify-identity-widget runs in a browser')); }
  function GoTrue() {}
  ['settings', 'signup', 'requestPasswordRecovery', 'login', 'confirm', 'recover', 'verify',
    'acceptInvite', 'createUser'].forEach(function (method) { GoTrue.prototype[method] = refused; });
  GoTrue.prototype.currentUser = function () { return null; };
  var gotrue = new GoTrue();
  return {
    init: nothing,
    open: nothing,
    close: nothing,
    on: nothing,
    off: nothing,
    currentUser: function () { return null; },
    logout: function () { return undefined; },
    refresh: refused,
    setLocale: nothing,
    gotrue: gotrue,
    store: {
      user: null, saving: false, modal: { page: 'login', isOpen: false }, settings: null,
      gotrue: gotrue, loadSettings: refused
    }
  };
})();
