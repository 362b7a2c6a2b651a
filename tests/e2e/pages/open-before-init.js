import identity from '/build/netlify-identity.mjs';
identity.open('signup'); // waits for init()
setTimeout(() => identity.init({ APIUrl: '/.netlify/identity' }), 100);
