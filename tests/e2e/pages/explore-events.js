// Every event of the widget, in order, with the email of the user it names.
window.events = [];
window.extraHandler = { on: false, calledWhileOff: 0 };
['init', 'login', 'logout', 'error', 'open', 'close'].forEach(function (name) {
  netlifyIdentity.on(name, function (argument) {
    window.events.push({ name: name, email: argument && argument.email ? argument.email : null });
    console.debug('netlifyIdentity event', name, argument && argument.email ? argument.email : '');
  });
});
// A handler the explorer adds and removes (`on`/`off`): never called while removed.
window.extraHandlerFn = function () { if (!window.extraHandler.on) window.extraHandler.calledWhileOff++; };
