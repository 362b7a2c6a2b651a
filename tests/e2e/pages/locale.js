var locale = new URLSearchParams(location.search).get('locale');
netlifyIdentity.init(locale ? { APIUrl: '/.netlify/identity', locale: locale } : { APIUrl: '/.netlify/identity' });
