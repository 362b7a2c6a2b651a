// gotrue-widget's Auth0 "Get User" script for a custom database connection with automatic
// migration: Auth0 asks whether an address it does not know yet is a user of the old site
// (before a signup or a password reset) and, if so, for the profile it would move in — the
// same id, name, roles and confirmation. Only the site's identity-admin function can read
// Netlify Identity's users, so the script logs in as one of the site's administrators. Set, in
// the connection's settings: IDENTITY_URL (https://<site>/.netlify/identity), ADMIN_URL
// (https://<site>/.netlify/functions/identity-admin), ADMIN_EMAIL and ADMIN_PASSWORD. (The
// build appends src/auth0/profile.js: Auth0 takes each script as one self-contained file.)
async function getByEmail(email, callback) {
  const identity = String(configuration.IDENTITY_URL || '').replace(/\/+$/, '');
  const admin = String(configuration.ADMIN_URL || '').replace(/\/+$/, '');
  if (!identity || !admin || !configuration.ADMIN_EMAIL || !configuration.ADMIN_PASSWORD) {
    return callback(new Error('Set IDENTITY_URL, ADMIN_URL, ADMIN_EMAIL and ADMIN_PASSWORD'));
  }
  try {
    const grant = await fetch(`${identity}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: configuration.ADMIN_EMAIL, password: configuration.ADMIN_PASSWORD }),
    });
    const tokens = await grant.json().catch(() => ({}));
    if (grant.status !== 200 || !tokens.access_token) return callback(new Error(`The administrator could not log in to Netlify Identity (${grant.status})`));
    const list = (query) => fetch(`${admin}/admin/users?${new URLSearchParams(query)}`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    const wanted = String(email).trim().toLowerCase();
    const match = (users) => (Array.isArray(users) ? users : []).find((user) => String(user.email).toLowerCase() === wanted);
    // The server's search where it has one (it matches parts of addresses: the exact one is
    // picked); netlify/gotrue over MariaDB has none and answers 500, so every page is read.
    const searched = await list({ filter: wanted, per_page: '500' });
    if (searched.status === 200) {
      const found = match((await searched.json()).users);
      return found ? callback(null, auth0Profile(found)) : callback(null);
    }
    if (searched.status !== 500) return callback(new Error(`The identity-admin function answered ${searched.status}`));
    for (let page = 1; ; page++) {
      const answer = await list({ page: String(page), per_page: '500' });
      if (answer.status !== 200) return callback(new Error(`The identity-admin function answered ${answer.status}`));
      const users = (await answer.json()).users;
      const found = match(users);
      if (found) return callback(null, auth0Profile(found));
      if (!Array.isArray(users) || users.length < 500) return callback(null);
    }
  } catch (error) {
    return callback(new Error(`Netlify Identity could not be reached: ${error.message}`));
  }
}
