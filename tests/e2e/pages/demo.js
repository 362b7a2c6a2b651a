(function () {
  var log = document.getElementById('event-log');
  var panel = document.getElementById('current-user');
  function show() {
    var user = netlifyIdentity.currentUser();
    panel.textContent = user ? JSON.stringify({ email: user.email, user_metadata: user.user_metadata, app_metadata: user.app_metadata }, null, 2) : 'nobody';
  }
  ['init', 'login', 'logout', 'error', 'open', 'close'].forEach(function (name) {
    netlifyIdentity.on(name, function (argument) {
      var item = document.createElement('li');
      var detail = argument && argument.email ? argument.email : argument instanceof Error ? argument.message : argument;
      item.textContent = new Date().toLocaleTimeString() + '  ' + name + (detail ? ' — ' + detail : '');
      log.prepend(item);
      show();
    });
  });
  // This demo runs on 127.0.0.1 with GoTrue on the same origin, so it names the API;
  // without APIUrl a local page gets the old widget's "Development Settings" prompt.
  netlifyIdentity.init({ APIUrl: '/.netlify/identity' });
  show();
})();
