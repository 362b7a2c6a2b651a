// A site that uses the widget for its UI and @netlify/identity (bundled as window.nfIdentity)
// in its own code, as Netlify recommends: what each one tells the page, in order.
window.ours = [];
window.theirs = [];
['login', 'logout'].forEach(function (name) {
  netlifyIdentity.on(name, function (user) { window.ours.push(name + (user ? ':' + user.email : '')); });
});
nfIdentity.onAuthChange(function (event, user) { window.theirs.push(event + (user ? ':' + user.email : '')); });
