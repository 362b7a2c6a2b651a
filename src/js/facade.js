// The page-facing API as the old widget defines it (COMPAT.md A–F): the `api` object below,
// gotrue-js's client (`GoTrue`), and the user object. This file owns what must be synchronous:
// the objects themselves, event handlers, the user object's identity, and `currentUser()` from
// the stored session before the wasm is ready. Everything else is forwarded to the wasm.
// The build wraps it with src/js/controls.js (scripts/bundle.mjs); in scope are `loadGlue()`
// (a promise of the wasm-bindgen glue) and `assets` ({wasm, css, locale(code)}: URLs).
// The WebAssembly loads only when identity is needed: a stored session, a link in the URL,
// a locale to show, or a call that needs it (open(), a control clicked, jwt(), …).
/* global loadGlue, assets, renderControls, controlsLocale */
var STORAGE_KEY = 'gotrue.user';
var SITE_URL_KEY = 'netlifySiteURL';
var DEFAULT_API_URL = '/.netlify/identity';
var EVENTS = ['init', 'login', 'logout', 'error', 'open', 'close'];
var OPEN_ACTIONS = ['login', 'signup', 'error', 'users'];
var LOCALHOST = /^(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])$/;

var handlers = {};
EVENTS.forEach(function (name) { handlers[name] = new Set(); });
var user = null;
var started = false;
var wasm = null; // the wasm exports, once started
// Resolves to the wasm exports; calls made before then (even before init) wait for it.
var settleReady = {};
var ready = new Promise(function (resolve, reject) { settleReady = { resolve: resolve, reject: reject }; });
var apiUrl = DEFAULT_API_URL;

function emit(name, argument) {
  Array.from(handlers[name] || []).forEach(function (callback) {
    try { callback(argument); } catch (error) { console.error(error); }
  });
}

function whenReady(action) {
  if (wasm) return Promise.resolve().then(function () { return action(wasm); });
  loadWasm();
  return ready.then(action);
}

// For calls without a result: at once when the wasm runs (events fire synchronously, as the
// old widget's did), else queued (and the wasm asked for).
function nowOrWhenReady(action) {
  if (wasm) action(wasm);
  else {
    loadWasm();
    ready.then(action, function () {});
  }
}

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
GoTrue.prototype.settings = function () { return this._call('settings', []); };
GoTrue.prototype.signup = function (email, password, data) { return this._call('signup', [email, password, data || {}]); };
GoTrue.prototype.requestPasswordRecovery = function (email) { return this._call('requestPasswordRecovery', [email]); };
GoTrue.prototype.login = function (email, password, remember) { return this._user('login', [email, password, !!remember], remember); };
GoTrue.prototype.confirm = function (token, remember) { return this._user('confirm', [token, !!remember], remember); };
GoTrue.prototype.recover = function (token, remember) { return this._user('recover', [token, !!remember], remember); };
GoTrue.prototype.verify = function (type, token, remember) { return this._user('verify', [type, token, !!remember], remember); };
GoTrue.prototype.acceptInvite = function (token, password, remember) { return this._user('acceptInvite', [token, password, !!remember], remember); };
GoTrue.prototype.createUser = function (tokenResponse, remember) { return this._user('createUser', [tokenResponse, !!remember], remember); };
GoTrue.prototype.currentUser = function () { return user; };
// Navigation targets, synchronous as in gotrue-js (the widget's buttons build the same URLs).
GoTrue.prototype.loginExternalUrl = function (provider) {
  return this.api.apiURL + '/authorize?provider=' + encodeURIComponent(provider);
};
GoTrue.prototype.acceptInviteExternalUrl = function (provider, token) {
  return this.loginExternalUrl(provider) + '&invite_token=' + encodeURIComponent(token);
};
var pageClient = new GoTrue();

function setApiUrl(url) {
  apiUrl = url;
  pageClient.api.apiURL = url;
}

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
// gotrue-js's `user.admin`: calls with the session's token; the server decides who may.
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

function idOf(user) { return typeof user === 'string' ? user : user && user.id; }
function adminCall(method) {
  var args = Array.prototype.slice.call(arguments, 1);
  return whenReady(function (w) { return w[method].apply(w, args); }).then(JSON.parse);
}
var admin = {
  isAdmin: function () { return adminCall('adminCheck'); },
  // listUsers(aud) as gotrue-js, or listUsers({page, perPage, filter, sort}).
  listUsers: function (options) {
    options = options && typeof options === 'object' ? options : {};
    return adminCall('adminListUsers', options.page || 1, options.perPage || 50, String(options.filter || ''), String(options.sort || 'newest'));
  },
  getUser: function (user) { return adminCall('adminGetUser', String(idOf(user))); },
  updateUser: function (user, attributes) { return adminCall('adminUpdateUser', String(idOf(user)), JSON.stringify(attributes || {})); },
  createUser: function (email, password, attributes) {
    var body = Object.assign({}, attributes || {}, { email: email, password: password });
    return adminCall('adminCreateUser', JSON.stringify(body));
  },
  deleteUser: function (user) { return adminCall('adminDeleteUser', String(idOf(user))); },
  inviteUser: function (email, data) { return adminCall('adminInvite', String(email), JSON.stringify(data || {})); },
  sendRecoveryEmail: function (user) { return adminCall('adminSendRecovery', String(typeof user === 'string' ? user : user.email)); },
  // Every user (all pages) as 'json' (an array) or 'csv' (text).
  exportUsers: function (format) {
    return whenReady(function (w) { return w.adminExport(format === 'csv' ? 'csv' : 'json'); })
      .then(function (text) { return format === 'csv' ? text : JSON.parse(text); });
  }
};

function restoreUser() {
  try {
    var record = JSON.parse(localStorage.getItem(STORAGE_KEY));
    if (record && typeof record.url === 'string' && record.token && typeof record.token.access_token === 'string') {
      return new User(record);
    }
  } catch (error) { /* a malformed record is nobody */ }
  return null;
}

var modalState = { page: 'login', isOpen: false };
var store = {
  get user() { return user; },
  // Decap's clearStore assigns null: the UI logs out and `logout` fires.
  set user(value) {
    if (value === null && user) {
      user = null;
      nowOrWhenReady(function (w) { w.endSession(); });
    }
  },
  saving: false,
  modal: {
    get page() { return modalState.page; },
    set page(page) {
      modalState.page = page;
      if (modalState.isOpen && OPEN_ACTIONS.indexOf(page) >= 0) api.open(page);
    },
    get isOpen() { return modalState.isOpen; }
  },
  settings: null,
  invite_token: null,
  get gotrue() { return pageClient; },
  loadSettings: function () {
    return pageClient.settings().then(function (settings) { store.settings = settings; return settings; });
  }
};

// Called by the wasm (src/widget/bridge.rs).
var bridge = {
  setUser: function (recordJson) {
    if (recordJson === null) user = null;
    else {
      var record = JSON.parse(recordJson);
      if (user && user.id === record.id) user._assign(record); // same person: same object
      else user = new User(record);
    }
    renderControls();
  },
  emit: function (name, argument) {
    if (name === 'site_url') {
      setApiUrl(argument);
      if (argument) announceInit();
    } else if (name === 'login') emit('login', user);
    else if (name === 'settings') store.settings = JSON.parse(argument);
    else if (name === 'invite_token') store.invite_token = argument;
    else if (name === 'locale') controlsLocale(argument);
    else if (name === 'settings_error') emit('error', new Error('Failed to load settings from ' + argument));
    else if (name === 'error') emit('error', new Error(argument));
    else emit(name, argument);
  },
  // One tab of the site at a time refreshes the session (src/widget/session.rs).
  withLock: function (name, work) {
    return navigator.locks && navigator.locks.request ? navigator.locks.request(name, work) : work();
  },
  modal: function (page, isOpen, busy) {
    modalState.page = page;
    modalState.isOpen = isOpen;
    store.saving = busy;
  }
};

// The options the wasm reads (src/core/options.rs): plain data only, so a DOM element
// given as `container` or a function never reaches JSON.
function widgetOptions(options) {
  var picked = {};
  ['cookieDomain', 'namePlaceholder', 'theme', 'logo', 'siteName', 'signupFields', 'consent',
    'closeAfterLogin', 'redirectAfterLogin'].forEach(function (key) {
    if (options[key] !== undefined) picked[key] = options[key];
  });
  return picked;
}

// The glue, the wasm and the CSS, fetched side by side, once. The wasm compiles as it
// downloads, while the glue (which holds its imports) is still on its way.
var parts = null;
function fetchParts() {
  if (!parts) {
    parts = {
      css: fetch(assets.css).then(function (r) { return r.ok ? r.text() : ''; }),
      glue: loadGlue(),
      wasm: fetch(assets.wasm).then(compileWasm)
    };
  }
  return parts;
}

function compileWasm(response) {
  if (!response.ok) throw new Error('netlify-identity-widget: ' + response.url + ' answered HTTP ' + response.status);
  // Streaming needs the server to say application/wasm; otherwise compile the bytes.
  if (/^application\/wasm\b/.test(response.headers.get('content-type') || '')) return WebAssembly.compileStreaming(response);
  return response.arrayBuffer().then(function (bytes) { return WebAssembly.compile(bytes); });
}

// Loads and starts the wasm once. Asked before init(), it waits for init's options.
var startOptions = null;
var loading = false;
var wanted = false;
function loadWasm() {
  wanted = true;
  if (loading || !startOptions) return;
  loading = true;
  var options = startOptions;
  var fetched = fetchParts();
  var instantiated = fetched.glue.then(function (glue) {
    return glue({ module_or_path: fetched.wasm }).then(function () { return glue; });
  });
  Promise.all([fetched.css, instantiated])
    .then(function (loaded) {
      var wasm_bindgen = loaded[1];
      var container = typeof options.container === 'string' ? document.querySelector(options.container) : options.container;
      wasm_bindgen.start(bridge, loaded[0], apiUrl, container || null, JSON.stringify(widgetOptions(options)));
      wasm = wasm_bindgen;
      settleReady.resolve(wasm);
      if (options.locale) api.setLocale(options.locale);
    })
    .catch(function (error) {
      console.error('netlify-identity-widget failed to load', error);
      settleReady.reject(error);
      emit('error', error instanceof Error ? error : new Error(String(error)));
    });
}

// Locale tables load only when used; the last locale asked for wins.
var localeTables = {};
var wantedLocale = 'en';
function showLocale(w, requested) {
  var code = w.resolveLocale(requested, JSON.stringify(navigator.languages || [navigator.language]));
  wantedLocale = code;
  if (code === 'en') { w.useLocale('en', null); return; }
  localeTables[code] = localeTables[code] || fetch(assets.locale(code)).then(function (r) {
    if (!r.ok) throw new Error('HTTP ' + r.status);
    return r.text();
  });
  localeTables[code].then(function (table) {
    if (wantedLocale === code) w.useLocale(code, table);
  }, function (error) {
    delete localeTables[code];
    console.error('netlify-identity-widget: the ' + code + ' locale did not load; staying in the current language', error);
  });
}

function announceInit() {
  user = restoreUser();
  renderControls();
  emit('init', user);
  if (user) emit('login', user);
}

// A link the wasm must finish (COMPAT.md section I); it parses the fragment itself.
var LINK = /^#\/?(confirmation_token|recovery_token|invite_token|email_change_token|access_token|error)=|&(access_token|error)=/;

// Until the wasm runs, the loader follows other tabs itself (then the wasm does).
window.addEventListener('storage', function (event) {
  if (wasm || event.key !== STORAGE_KEY || !started) return;
  var before = user;
  user = restoreUser();
  renderControls();
  if (user && !before) emit('login', user);
  else if (!user && before) emit('logout');
  if (user) loadWasm();
});

function isLocalhost() { return LOCALHOST.test(location.hostname); }

// On a local server without APIUrl the old widget asks for the site's URL (COMPAT.md item 18);
// '' means "not known yet": no init event and nobody logged in until the prompt is answered.
function resolveApiUrl(options) {
  if (options.APIUrl) return String(options.APIUrl).replace(/\/+$/, '');
  if (!isLocalhost()) return DEFAULT_API_URL;
  var siteUrl = null;
  try { siteUrl = localStorage.getItem(SITE_URL_KEY); } catch (error) { /* storage refused */ }
  return siteUrl ? siteUrl.replace(/\/+$/, '') + DEFAULT_API_URL : '';
}

var api = {
  init: function (options) {
    options = options || {};
    if (options.cookieDomain && /[;\r\n]/.test(options.cookieDomain)) {
      throw new Error('Invalid cookieDomain: it must not contain ";", CR or LF');
    }
    if (started) {
      if (options.APIUrl) {
        var waitingForSiteUrl = !apiUrl;
        setApiUrl(resolveApiUrl(options));
        nowOrWhenReady(function (w) { w.configure(apiUrl); });
        if (waitingForSiteUrl) announceInit();
      }
      return;
    }
    started = true;
    startOptions = options;
    setApiUrl(resolveApiUrl(options));
    // COMPAT.md item 51: GoTrue sets nf_jwt itself, except on localhost or a custom domain.
    pageClient.setCookie = !isLocalhost() && !options.cookieDomain;
    if (apiUrl) announceInit(); // else the localhost prompt announces it once answered
    else renderControls();
    // A session keeps its nf_jwt and refreshes; a link must be finished; a language shown.
    if (wanted || user || LINK.test(location.hash) || options.locale) loadWasm();
  },
  open: function (page, metadata) {
    page = page || 'login';
    if (OPEN_ACTIONS.indexOf(page) < 0) throw new Error('Invalid action for open: ' + page);
    var metadataJson = metadata && typeof metadata === 'object' ? JSON.stringify(metadata) : null;
    nowOrWhenReady(function (w) { w.open(page, metadataJson); });
  },
  // Closing needs no wasm unless one is on its way (it may open what was asked before).
  close: function () {
    if (wasm) wasm.close();
    else if (loading) ready.then(function (w) { w.close(); }, function () {});
  },
  on: function (name, callback) { if (handlers[name] && typeof callback === 'function') handlers[name].add(callback); },
  off: function (name, callback) {
    if (!handlers[name]) return;
    if (callback) handlers[name].delete(callback);
    else handlers[name].clear();
  },
  currentUser: function () { return user; },
  logout: function () {
    if (!user) return undefined;
    user = null; // at once, so a second click does not find the old user
    return whenReady(function (w) { return w.logout(); });
  },
  refresh: function (force) {
    if (!user) return Promise.reject(new Error('Nobody is logged in'));
    return user.jwt(force);
  },
  setLocale: function (code) { nowOrWhenReady(function (w) { showLocale(w, String(code)); }); },
  get gotrue() { return pageClient; },
  store: store
};

// A link or a session needs the wasm: start fetching it now, before init.
if (LINK.test(location.hash) || restoreUser()) fetchParts();
