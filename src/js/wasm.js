// Fetching and starting the WebAssembly. It loads only when identity is needed — a stored
// session, a link in the URL, a dialog shown, a call that needs it — and its download starts
// earlier, on intent (a control pointed at, focused or touched). In scope from the build:
// `loadGlue()` (a promise of {bindgen, css, swapIn}: the wasm-bindgen glue, the styles of the
// screens only the wasm shows, and src/js/takeover.js) and `assets(path)` (a file's URL).
/* global loadGlue, assets, api, apiUrl, bridge, emit, told, locale, localeSettled, pendingLink: true,
   settleReady, shadowRoot, signupMetadata, startOptions, takeover, view, adopt, ownRoot,
   currentDialog, modalState, awaitWasm, ownDialogFailed, ASSETS_HELP,
   wasm: true */

// The glue and the wasm, fetched side by side, once. The wasm compiles as it downloads, while
// the glue (which holds its imports) is still on its way.
var parts = null;
function fetchParts() {
  if (!parts) {
    parts = { glue: loadGlue(), wasm: fetchOk('netlify-identity-widget.wasm').then(compileWasm) };
    // Fetched on intent, they may never be used: a failure is reported when they are.
    parts.glue.catch(function () {});
    parts.wasm.catch(function () {});
  }
  return parts;
}

// Fetches one of the widget's files by its path in build/ (`assets(path)`, from the build, says
// where it is, or throws); an HTTP error fails with a message naming the file.
function fetchOk(path) {
  return Promise.resolve(path).then(assets).then(fetch).then(function (response) {
    if (!response.ok) throw missingFiles(response.url + ' answered HTTP ' + response.status);
    return response;
  });
}

// A file of the widget that is not where it was looked for: the message names it and says what
// the site's developer can do (the dialog shows it: src/js/dialog.js).
function missingFiles(problem) {
  return new Error('netlify-identity-widget: ' + problem + ASSETS_HELP);
}

function compileWasm(response) {
  // Streaming needs the server to say application/wasm; otherwise compile the bytes.
  if (/^application\/wasm\b/.test(response.headers.get('content-type') || '')) return WebAssembly.compileStreaming(response);
  return response.arrayBuffer().then(function (bytes) { return WebAssembly.compile(bytes); });
}

// Loads and starts the wasm once, in the locale asked for. Asked before init(), it waits for
// init's options.
var loading = false;
var wanted = false;
function loadWasm() {
  wanted = true;
  if (loading || !startOptions) return;
  loading = true;
  afterOwnDialogPainted()
    .then(function () {
      // The wasm's failure first: offline, the glue's script fails too, saying less.
      var fetched = fetchParts();
      return fetched.wasm.then(function (module) { return Promise.all([fetched.glue, module, localeSettled()]); });
    })
    .then(function (loaded) {
      return loaded[0].bindgen({ module_or_path: loaded[1] }).then(function () { return loaded[0]; });
    })
    .then(startWasm)
    .catch(function (error) {
      console.error('netlify-identity-widget: the WebAssembly did not load', error);
      // Offline or a file missing: the next call, a submit or the network coming back tries again.
      loading = false;
      parts = null;
      settleReady.reject(error);
      awaitWasm();
      addEventListener('online', function () { if (wanted) loadWasm(); }, { once: true });
      ownDialogFailed(error);
      emit('error', error instanceof Error ? error : new Error(String(error)));
    });
}

// With the loader's dialog on screen (or on its way), loading waits for the dialog's first
// frame: nothing the download or the start does (a script to run, the main thread taken for a
// while) comes before it. What intent, a link or a session started goes on meanwhile.
function afterOwnDialogPainted() {
  return new Promise(function (resolve) {
    if (!ownRoot() && !view.wanted) resolve();
    else requestAnimationFrame(function () { setTimeout(resolve); });
  });
}

// Starts the wasm in the state the loader's dialog is in, then puts its dialog in place.
function startWasm(glue) {
  var shadow = shadowRoot();
  var own = !wasm && shadow.querySelector('.gw-root');
  adopt(shadow, glue.css);
  view.starting = true;
  try {
    // JSON keeps the options' plain data: a `container` element becomes {}, a function nothing.
    glue.bindgen.start(bridge, shadow, JSON.stringify({
      apiUrl: apiUrl,
      options: startOptions,
      locale: locale.code,
      texts: locale.file.texts || null,
      link: apiUrl ? pendingLink : '',
      metadata: signupMetadata,
      told: told,
      takeover: takeover()
    }));
  } finally {
    view.starting = false;
  }
  if (apiUrl) pendingLink = '';
  wasm = glue.bindgen;
  var submitted = view.submitted;
  view.submitted = false;
  queueMicrotask(function () {
    glue.swapIn(own || null, currentDialog(), modalState.isOpen, submitted);
    settleReady.resolve(wasm);
  });
}
