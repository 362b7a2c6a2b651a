// COMPAT.md item 8: require() under Node (no window) does not throw; nobody is logged in.
const assert = require('node:assert/strict');
const identity = require('netlify-identity-widget');
for (const name of ['init', 'open', 'close', 'on', 'off', 'currentUser', 'logout', 'refresh', 'setLocale']) {
  assert.equal(typeof identity[name], 'function', name);
}
identity.on('login', () => {});
identity.init();
assert.equal(identity.currentUser(), null);
assert.equal(identity.store.user, null);
assert.equal(identity.logout(), undefined);
console.log('require: ok');
