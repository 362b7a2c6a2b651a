netlifyIdentity.init({ APIUrl: '/.netlify/identity' });
