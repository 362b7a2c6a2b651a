// What the tests read: every event with its argument's email or message, in order.
window.record = [];
window.keysAtParse = Object.keys(window.netlifyIdentity).sort();
['init', 'login', 'logout', 'error', 'open', 'close'].forEach(function (name) {
  netlifyIdentity.on(name, function (argument) {
    window.record.push(name + (argument && argument.email ? ':' + argument.email : argument instanceof Error ? ':' + argument.message : argument ? ':' + argument : ''));
    if (name === 'login') window.loginArgument = argument;
  });
});
// The Decap CMS docs' snippet, as sites paste it below the widget.
if (window.netlifyIdentity) {
  window.netlifyIdentity.on('init', function (user) {
    if (!user) {
      window.netlifyIdentity.on('login', function (u) { window.record.push('login-seen-by-init-handler:' + u.email); });
    }
  });
}
