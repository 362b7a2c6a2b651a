// The user object and gotrue-js's client as the old widget exposes them (COMPAT.md B, E, F):
// `GoTrue` (the page's own is `netlifyIdentity.gotrue`), the user object with its methods, and
// `user.admin`. Their calls go to the wasm (`whenReady`); `user` is the page's session user.
/* global whenReady, api, user */
var DEFAULT_API_URL = '/.netlify/identity';

// gotrue-js's client. The page's own is `netlifyIdentity.gotrue`; `new GoTrue(options)` makes
// others. A user logged in with `remember` becomes the page's session.
function GoTrue(options) {
  options = options || {};
  this.audience = options.audience || '';
  this.setCookie = !!options.setCookie;
  this.api = { apiURL: String(options.APIUrl || DEFAULT_API_URL).replace(/\/+$/, ''), defaultHeaders: {}, _sameOrigin: true };
}
GoTrue.prototype._call = function (method, args) {
  var options = JSON.stringify({ apiURL: this.api.apiURL, audience: this.audience, setCookie: this.setCookie });
  return whenReady(function (w) { return w.client(options, method, JSON.stringify(args)); }).then(JSON.parse);
};
GoTrue.prototype._user = function (method, args, remember) {
  var client = this;
  return this._call(method, args).then(function (record) { return remember ? user : new User(record, client); });
};
// gotrue-js's calls, their arguments passed on as given (src/core/client.rs reads them); those
// with a `remember` argument (at this position) resolve to a user.
var CLIENT_CALLS = { settings: -1, signup: -1, requestPasswordRecovery: -1, login: 2, confirm: 1, recover: 1, verify: 2, acceptInvite: 2, createUser: 1 };
Object.keys(CLIENT_CALLS).forEach(function (method) {
  var remembers = CLIENT_CALLS[method];
  GoTrue.prototype[method] = function () {
    var args = [].slice.call(arguments, 0, remembers < 0 ? 3 : remembers);
    var remember = arguments[remembers];
    return remembers < 0 ? this._call(method, args) : this._user(method, args.concat(!!remember), remember);
  };
});
GoTrue.prototype.currentUser = function () { return user; };
// Navigation targets, synchronous as in gotrue-js (the widget's buttons build the same URLs).
GoTrue.prototype.loginExternalUrl = function (provider) {
  return this.api.apiURL + '/authorize?provider=' + encodeURIComponent(provider);
};
GoTrue.prototype.acceptInviteExternalUrl = function (provider, token) {
  return this.loginExternalUrl(provider) + '&invite_token=' + encodeURIComponent(token);
};
var pageClient = new GoTrue();

// A user as gotrue-js shapes it: the stored record's fields as own properties, methods on
// the prototype, so `JSON.stringify(user)` and `{...user}` behave. The page's session user
// acts through the widget; another user (a gotrue call without `remember`) on its own record.
function User(record, client) {
  Object.defineProperty(this, '_client', { value: client || pageClient, writable: true });
  this._assign(record);
}
User.prototype._assign = function (record) {
  var self = this;
  Object.keys(self).forEach(function (key) { delete self[key]; });
  Object.keys(record).forEach(function (key) { self[key] = record[key]; });
  self.user_metadata = self.user_metadata || {};
  self.api = { apiURL: record.url, defaultHeaders: {}, _sameOrigin: true };
};
User.prototype._record = function () {
  var self = this;
  var record = {};
  Object.keys(self).forEach(function (key) { if (key !== 'api') record[key] = self[key]; });
  return JSON.stringify(record);
};
User.prototype._own = function (method, args) {
  var self = this;
  return this._client._call(method, [this._record()].concat(args)).then(function (record) {
    if (record.token) self._assign(record);
    return self;
  });
};
User.prototype.jwt = function (force) {
  if (this !== user) return this._own('userJwt', [!!force]).then(function (self) { return self.token.access_token; });
  return whenReady(function (w) { return w.jwt(!!force); });
};
User.prototype.update = function (attributes) {
  var self = this;
  if (this !== user) return this._own('userUpdate', [attributes || {}]);
  return whenReady(function (w) { return w.update(JSON.stringify(attributes || {})); }).then(function () { return self; });
};
User.prototype.getUserData = function () {
  var self = this;
  if (this !== user) return this._own('userReload', []);
  return whenReady(function (w) { return w.reloadUser(); }).then(function () { return self; });
};
User.prototype.tokenDetails = function () { return this.token; };
Object.defineProperty(User.prototype, 'admin', {
  get: function () { return admin; }
});
User.prototype.logout = function () {
  if (this !== user) return this._own('userLogout', []).then(function () {});
  return api.logout();
};
User.prototype.clearSession = function () {
  if (this === user) nowOrWhenReady(function (w) { w.endSession(); });
};

// gotrue-js's `user.admin`, with the list's options, the export and the import: calls with the
// session's token (the server decides who may), their arguments passed on as given
// (src/core/admin_call.rs; an options object's `onProgress` is called back).
var admin = {};
['isAdmin', 'listUsers', 'getUser', 'updateUser', 'createUser', 'deleteUser', 'inviteUser', 'sendRecoveryEmail', 'exportUsers', 'importUsers'].forEach(function (method) {
  admin[method] = function () {
    var args = [].slice.call(arguments);
    return whenReady(function (w) { return w.admin(method, args); }).then(JSON.parse);
  };
});
