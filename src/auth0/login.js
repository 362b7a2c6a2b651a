// gotrue-widget's Auth0 "Login" script for a custom database connection with automatic
// migration: a user Auth0 does not know yet is checked against the old site's Netlify Identity
// (the password grant of its /token) and, when the password is right, moved in with the profile
// Auth0 expects — the same id, name, roles and confirmation (README: Moving users off Netlify
// Identity, To Auth0). Paste it as the connection's Login script and set, in the connection's
// settings, IDENTITY_URL: the old site's Identity (https://<site>/.netlify/identity).
// Auth0 calls `login` with the address and password typed, and a callback. (The build appends
// src/auth0/profile.js: Auth0 takes each script as one self-contained file.)
async function login(email, password, callback) {
  const identity = String(configuration.IDENTITY_URL || '').replace(/\/+$/, '');
  if (!identity) return callback(new Error('Set IDENTITY_URL to the old site\'s Identity'));
  try {
    const grant = await fetch(`${identity}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: email, password }),
    });
    const tokens = await grant.json().catch(() => ({}));
    if (grant.status === 400 && tokens.error === 'invalid_grant') {
      // Netlify Identity says the same for an unknown address and a wrong password.
      return callback(new WrongUsernameOrPasswordError(email, tokens.error_description || 'Wrong email or password'));
    }
    if (grant.status !== 200 || !tokens.access_token) return callback(new Error(`Netlify Identity answered ${grant.status}`));
    const answer = await fetch(`${identity}/user`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    if (answer.status !== 200) return callback(new Error(`Netlify Identity answered ${answer.status} for the user`));
    return callback(null, auth0Profile(await answer.json()));
  } catch (error) {
    return callback(new Error(`Netlify Identity could not be reached: ${error.message}`));
  }
}
