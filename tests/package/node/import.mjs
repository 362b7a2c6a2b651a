// The ES module entry under Node: default, namespace and named imports, nobody logged in.
import assert from 'node:assert/strict';
import identity, { currentUser, init } from 'netlify-identity-widget';
import * as namespace from 'netlify-identity-widget';

init();
assert.equal(typeof identity.init, 'function');
assert.equal(namespace.default, identity);
assert.equal(typeof namespace.on, 'function');
assert.equal(currentUser(), null);
await assert.rejects(identity.refresh());
console.log('import: ok');
