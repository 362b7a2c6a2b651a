// The page-facing API as the old widget defines it (COMPAT.md A–F): the `api` object, its
// events and store, and the bridge the wasm calls. The loader owns what must be synchronous or
// must work before the wasm: these objects, event handlers, `currentUser()` from the stored
// session, the dialog's first pages (src/js/dialog.js) and the link the URL holds. Everything
// else is forwarded to the wasm, which loads when identity is needed (src/js/wasm.js).
/* global User, pageClient, renderControls, loadWasm, openOwn, syncDialog, useLocale, view,
   wanted, loading, fetchParts */
var STORAGE_KEY = 'gotrue.user';
var SITE_URL_KEY = 'netlifySiteURL';
var EVENTS = ['init', 'login', 'logout', 'error', 'open', 'close'];
var OPEN_ACTIONS = ['login', 'signup', 'error', 'users'];
var LOCALHOST = /^(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])$/;
// A link the wasm finishes (COMPAT.md section I; src/core/fragment.rs reads it); for an emailed
// token, its kind: that token leaves the URL at once (the wasm decides what the link means).
// supabase/auth's `#message=…&sb=` is the first of an email change's two links; `#pkce` marks a
// PKCE link's redirect, whose code is in the query (src/core/pkce.rs).
var LINK = /(?:^#\/?|&)(?:(confirmation|recovery|invite|email_change)_token=[^&]|access_token=|error=|message=[^&]*&sb=|pkce)/;

var handlers = {};
EVENTS.forEach(function (name) { handlers[name] = new Set(); });
var user = null;
var started = false;
var startOptions = null; // init's options
var wasm = null; // the wasm exports, once started
// Resolves to the wasm exports; calls made before then (even before init) wait for it. A load
// that fails rejects the calls waiting, and later calls wait for the next try.
var settleReady = {};
var ready;
function awaitWasm() {
  ready = new Promise(function (resolve, reject) { settleReady = { resolve: resolve, reject: reject }; });
  ready.catch(function () {});
}
awaitWasm();
var apiUrl = DEFAULT_API_URL;
var signupMetadata = null; // open('signup', metadata) before the wasm
var openedBeforeInit = null; // open(page) before init()

// The link the page was opened with (or that a pasted URL put in its fragment since), for the
// wasm to finish. It leaves the URL at once (no history entry keeps its tokens), unless it
// carries a `state`: Decap's own implicit grant, which its code reads.
var pendingLink = '';
var linkKind = null;
function takeLink(hash) {
  var match = hash.match(LINK);
  if (!match) return false;
  pendingLink = hash;
  linkKind = match[1];
  if (!/state=/.test(hash)) history.replaceState(history.state, '', location.href.split('#')[0]);
  return true;
}
takeLink(location.hash);

// A link pasted into a tab already on the site changes only the fragment: it is finished as
// one opened in a new tab.
// (A wasm starting meanwhile takes it with its startup: the call finds '' then.)
addEventListener('hashchange', function () {
  if (!takeLink(location.hash) || !started || !apiUrl) return;
  if (!wasm && linkPage()) openOwn(linkPage(), true);
  nowOrWhenReady(function (w) { w.link(pendingLink); pendingLink = ''; });
});

// The page a link opens before the wasm, as src/widget/links.rs does: a recovery asks for the
// new password, an invite for a password, an email change for a login if nobody is logged in.
function linkPage() {
  return linkKind === 'recovery' || linkKind === 'invite' ? linkKind : linkKind === 'email_change' && !user ? 'login' : null;
}

// The id of the user the page was last told of (`login`), null after `logout`.
var told = null;
function emit(name, argument) {
  if (name === 'login') told = argument.id;
  if (name === 'logout') told = null;
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

function setApiUrl(url) {
  apiUrl = url;
  pageClient.api.apiURL = url;
}

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
      if (modalState.isOpen && OPEN_ACTIONS.indexOf(page) >= 0) api.open(page);
      else modalState.page = page;
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
    else if (name === 'error') emit('error', new Error(argument));
    else emit(name, argument);
  },
  // One tab of the site at a time refreshes the session (src/widget/session.rs).
  withLock: function (name, work) {
    return navigator.locks && navigator.locks.request ? navigator.locks.request(name, work) : work();
  },
  modal: function (page, isOpen, busy) {
    var pageChanged = page !== modalState.page;
    modalState.page = page;
    modalState.isOpen = isOpen;
    store.saving = busy;
    syncDialog(pageChanged);
  }
};

function announceInit() {
  user = restoreUser();
  renderControls();
  emit('init', user);
  if (user) emit('login', user);
}

// Until the wasm runs, the loader follows other tabs itself (then the wasm does).
addEventListener('storage', function (event) {
  if (wasm || event.key !== STORAGE_KEY || !started) return;
  var before = user;
  user = restoreUser();
  renderControls();
  var changed = (user && user.id) !== (before && before.id);
  if (before && changed) emit('logout');
  if (user && changed) emit('login', user);
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
      throw new Error('Invalid cookieDomain');
    }
    if (started) {
      if (options.APIUrl) {
        var waitingForSiteUrl = !apiUrl;
        setApiUrl(resolveApiUrl(options));
        nowOrWhenReady(function (w) { w.configure(apiUrl, pendingLink); pendingLink = ''; });
        if (waitingForSiteUrl) announceInit();
      }
      return;
    }
    started = true;
    startOptions = options;
    setApiUrl(resolveApiUrl(options));
    // With httpOnlyCookie, GoTrue sets nf_jwt itself (COMPAT.md item 51; the wasm leaves
    // localhost and a custom domain out); by default the widget writes the cookies.
    pageClient.setCookie = !!options.httpOnlyCookie;
    if (apiUrl) announceInit(); // else the localhost prompt announces it once answered
    else renderControls();
    if (options.locale) useLocale(options.locale);
    // A session keeps its cookies and refreshes; a link must be finished; a refresh cookie
    // without a stored session is a login made elsewhere (a function's), or a stale one.
    if (wanted || user || pendingLink || /nf_refresh=./.test(document.cookie)) loadWasm();
    // A link shows its page at once; open() called before init opens now.
    if (apiUrl && linkPage()) openOwn(linkPage(), true);
    else if (openedBeforeInit) api.open(openedBeforeInit);
    openedBeforeInit = null;
  },
  open: function (page, metadata) {
    page = page || 'login';
    if (OPEN_ACTIONS.indexOf(page) < 0) throw new Error('Invalid action for open: ' + page);
    var metadataJson = metadata && typeof metadata === 'object' ? JSON.stringify(metadata) : null;
    if (wasm) return wasm.open(page, metadataJson);
    if (metadataJson) signupMetadata = JSON.parse(metadataJson);
    if (!started) openedBeforeInit = page;
    else if (!openOwn(page)) ready.then(function (w) { w.open(page, metadataJson); }, function () {});
    // After openOwn: with the loader's dialog on its way, loading waits for its first frame.
    loadWasm();
  },
  // Closing needs no wasm unless one is on its way (it may open what was asked before).
  close: function () {
    view.wanted = null;
    openedBeforeInit = null;
    if (wasm) wasm.close();
    else if (modalState.isOpen) {
      modalState.isOpen = false;
      syncDialog();
      emit('close');
    } else if (loading) ready.then(function (w) { w.close(); }, function () {});
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
  setLocale: function (code) { useLocale(String(code)); },
  get gotrue() { return pageClient; },
  store: store
};

// A link or a session needs the wasm: start fetching it now, before init.
if (pendingLink || restoreUser()) fetchParts();
