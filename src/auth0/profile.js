// What both Auth0 scripts answer with (the build appends it to each): the profile Auth0 keeps
// for a Netlify Identity user.

/** The profile Auth0 keeps for a Netlify Identity user. */
function auth0Profile(user) {
  const roles = Array.isArray(user.app_metadata && user.app_metadata.roles) ? user.app_metadata.roles : [];
  const profile = {
    user_id: user.id,
    email: user.email,
    email_verified: Boolean(user.confirmed_at),
    user_metadata: user.user_metadata || {},
    // Also where Netlify's role-based redirects read a token that is not Netlify Identity's.
    app_metadata: { roles, authorization: { roles } },
  };
  const name = profile.user_metadata.full_name;
  if (typeof name === 'string' && name) profile.name = name;
  return profile;
}
