window.seen = [];
['init', 'login', 'logout'].forEach(function (name) {
  netlifyIdentity.on(name, function (user) { window.seen.push(name + (user && user.email ? ':' + user.email : '')); });
});
