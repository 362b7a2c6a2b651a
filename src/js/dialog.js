// The dialog: a native <dialog> in an open shadow root on #netlify-identity-widget (COMPAT.md
// item 16). This file opens and closes it (showModal: top layer, inert page, Escape closes),
// moves focus into it and back to the opener, and keeps Tab inside — for the wasm's dialog and,
// until the wasm arrives, for its own: the markup Leptos rendered ahead of time
// (src/prerender.rs), shown at once. In it the loader does what needs no server: switch pages
// (a button's data-go), show a password, type. A submit shows busy and waits for the wasm,
// which then mounts its own dialog in the same state (src/core/startup.rs); src/js/takeover.js,
// which comes with the wasm, puts that in place, carrying focus, selection, scroll and submit.
/* global DIALOG_CSS, api, emit, locale, localeSettled, loadEnglishPage, modalState, startOptions, store, wasm,
   user, apiUrl, signupMetadata, loadWasm, pendingLink: true, whenReady */
// `opener`: what had focus when the dialog opened (`openerPlace`: the page control it was in).
var view = { shadow: null, opener: null, starting: false, submitted: false, wanted: null };

var FOCUSABLE = ':is(button, input, select, textarea, [href], [tabindex]):not([disabled], [tabindex="-1"])';

// Adds a constructed sheet: no <style> element, so no style-src 'unsafe-inline' is needed.
function adopt(root, css) {
  var sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  root.adoptedStyleSheets = root.adoptedStyleSheets.concat([sheet]);
}

// The host and its shadow root, made once, in `container` (default: the body).
function shadowRoot() {
  if (!view.shadow) {
    var host = document.createElement('div');
    var container = startOptions.container;
    host.id = 'netlify-identity-widget';
    // `light` or `dark` pick a scheme (style/tokens.css); anything else follows the system.
    if (startOptions.theme) host.setAttribute('data-theme', startOptions.theme);
    ((typeof container === 'string' ? document.querySelector(container) : container) || document.body).appendChild(host);
    // Open, not closed: Leptos's delegated events walk composedPath(), which a closed root hides.
    view.shadow = host.attachShadow({ mode: 'open' });
    adopt(view.shadow, DIALOG_CSS);
    view.shadow.addEventListener('keydown', keepFocusInside);
    view.shadow.addEventListener('close', onClose, true);
    view.shadow.addEventListener('click', onOwnClick);
    view.shadow.addEventListener('submit', onOwnSubmit);
  }
  return view.shadow;
}

// The dialog on screen: the wasm's once it has mounted one, else the loader's.
function currentDialog() {
  var dialogs = view.shadow ? view.shadow.querySelectorAll('dialog') : [];
  return dialogs[dialogs.length - 1];
}

// The loader's own root, if it showed a dialog the wasm has not replaced.
function ownRoot() {
  return !wasm && view.shadow && view.shadow.querySelector('.gw-root');
}

function focusFirst() {
  var dialog = currentDialog();
  var first = dialog && dialog.open && dialog.querySelector('[autofocus]');
  if (first) first.focus();
  return first;
}

// Makes the <dialog> match store.modal: opens it (remembering what had focus), or closes it
// and gives focus back. A new page gets its first field focused: the wasm renders it in a
// microtask queued before this one, so no key press can come between (a tick later if not).
function syncDialog(pageChanged) {
  var dialog = currentDialog();
  if (!dialog || view.starting) return;
  if (modalState.isOpen && !dialog.open) {
    rememberOpener(document.activeElement);
    dialog.showModal();
  } else if (!modalState.isOpen && (dialog.open || view.opener)) {
    // Escape closed the native dialog already, and one the wasm took over from the loader's
    // recorded no opener of its own: focus is given back here either way.
    if (dialog.open) dialog.close();
    giveFocusBack();
  } else if (!pageChanged) return;
  if (modalState.isOpen) queueMicrotask(function () { if (!focusFirst()) setTimeout(focusFirst); });
}

function rememberOpener(active) {
  view.opener = active;
  view.openerPlace = active.closest('[data-netlify-identity-menu],[data-netlify-identity-button]');
}

// To the opener; if a page control it was in was drawn again meanwhile (a login turns "Log in"
// into "Log out"), to the button of the same kind there now, else that control's first button.
function giveFocusBack() {
  var target = view.opener;
  var control = view.openerPlace;
  if (target && !target.isConnected && control) target = control.querySelector('.' + target.classList[0]) || control.querySelector('button');
  view.opener = view.openerPlace = null;
  if (target) target.focus();
}

// The native dialog closed itself (Escape): the widget closes. A close event that arrives after
// the page opened the dialog again (close() then open()) is stale and ignored.
function onClose(event) {
  if (event.target === currentDialog() && !event.target.open && modalState.isOpen) api.close();
}

// Tab from the last control goes to the first, Shift+Tab from the first to the last: focus
// stays in the dialog instead of leaving for the browser's own controls.
function keepFocusInside(event) {
  var dialog = currentDialog();
  if (event.key !== 'Tab' || !dialog) return;
  var visible = [].filter.call(dialog.querySelectorAll(FOCUSABLE), function (element) {
    return element.getClientRects().length;
  });
  var first = visible[0];
  var last = visible[visible.length - 1];
  var active = view.shadow.activeElement;
  var target = event.shiftKey ? active === first && last : active === last && first;
  if (!target) return;
  event.preventDefault();
  target.focus();
}

// Every field with an id, as the person left it (the loader's dialogs have only inputs).
function fieldsOf(root) {
  var fields = {};
  root.querySelectorAll('input[id]').forEach(function (field) {
    fields[field.id] = { value: field.value, checked: field.checked, shown: field.type === 'text' };
  });
  return fields;
}

// Shows `page` (a legacy name) from the current locale's markup, keeping the <dialog> element
// (it may be open in the top layer) and, with `keep`, what was typed.
function showOwnPage(page, keep) {
  var root = ownRoot();
  if (!root) {
    root = document.createElement('div');
    root.className = 'gw-root';
    shadowRoot().appendChild(root);
  }
  var template = document.createElement('template');
  template.innerHTML = locale.file.pages[page];
  var fresh = template.content.firstElementChild;
  var dialog = root.firstElementChild;
  var typed = keep && dialog ? fieldsOf(dialog) : {};
  if (dialog) {
    dialog.replaceChildren.apply(dialog, [].slice.call(fresh.childNodes));
    dialog.lang = fresh.lang;
    dialog.dir = fresh.dir;
  } else {
    root.appendChild(dialog = fresh);
  }
  Object.keys(typed).forEach(function (id) {
    var field = view.shadow.getElementById(id);
    if (field) field.value = typed[id].value;
  });
  var name = view.shadow.getElementById('gw-name');
  if (name && !name.value && signupMetadata && typeof signupMetadata.full_name === 'string') name.value = signupMetadata.full_name;
  if (name && startOptions.namePlaceholder) name.placeholder = startOptions.namePlaceholder;
  var pageChanged = modalState.page !== page;
  modalState.page = page;
  if (pageChanged) view.submitted = false;
  store.saving = view.submitted;
  if (view.submitted) setBusy(dialog, true, '');
  if (!modalState.isOpen) {
    modalState.isOpen = true;
    syncDialog(true);
    emit('open', page);
  } else if (pageChanged) focusFirst();
}

// What open(page) shows from the markup rendered ahead of time, as the wasm's state machine
// would land (src/core/flow.rs); false when only the wasm can show it (someone is logged in:
// their page names them), unless a link opens it. It shows once the locale's markup is here
// and the body exists.
function openOwn(page, forLink) {
  if (user && !forLink) return false;
  var target = !apiUrl ? 'siteURL' : page === 'error' ? 'signup' : page === 'users' ? 'login' : page;
  view.wanted = target;
  loadEnglishPage(target);
  localeSettled().then(function () {
    if (document.body) return;
    return new Promise(function (resolve) { document.addEventListener('DOMContentLoaded', resolve); });
  }).then(function () {
    if (view.wanted !== target) return;
    view.wanted = null;
    // Without its markup (a locale file that failed), the wasm shows the page.
    if (wasm || !locale.file.pages[target]) whenReady(function (w) { w.open(page, signupMetadata ? JSON.stringify(signupMetadata) : null); });
    else showOwnPage(target);
  });
  return true;
}

// A new language: the loader's open dialog shows it, keeping what was typed (a closed one is
// drawn anew when it opens).
function relocaliseDialog() {
  if (ownRoot() && modalState.isOpen) showOwnPage(modalState.page, true);
}

// Clicks in the loader's dialog (the wasm handles its own).
function onOwnClick(event) {
  var button = !wasm && event.target.closest('button');
  if (!button) return;
  var go = button.getAttribute('data-go');
  if (button.hasAttribute('aria-pressed')) {
    var shown = button.getAttribute('aria-pressed') !== 'true';
    var field = view.shadow.getElementById(button.getAttribute('aria-controls'));
    button.setAttribute('aria-pressed', String(shown));
    if (field) field.type = shown ? 'text' : 'password';
  } else if (go === 'close' || go === 'abandon') {
    // Leaving a recovery link unused: nobody was logged in by it yet, so it is simply dropped.
    if (go === 'abandon') pendingLink = '';
    api.close();
  } else if (go && go !== modalState.page) {
    showOwnPage(go);
  }
}

// The loader's dialog waiting for the wasm after a submit, or no longer: the button's state
// attribute picks its text, and the alert says why it stopped. It is empty while waiting, so a
// retry that fails again is announced again. Only a submit in the other state changes: one
// disabled for another reason (a link's check) is left alone.
function setBusy(dialog, busy, problem) {
  var button = dialog && dialog.querySelector('[aria-busy=' + !busy + ']');
  var alert = dialog && dialog.querySelector('[role=alert]');
  view.submitted = store.saving = busy;
  if (button) {
    button.setAttribute('aria-busy', busy);
    button.disabled = busy;
  }
  if (alert) alert.textContent = problem;
}

// A submit in the loader's dialog: busy at once, carried out by the wasm when it is here.
function onOwnSubmit(event) {
  if (wasm) return;
  event.preventDefault();
  if (view.submitted) return;
  setBusy(event.target.closest('dialog'), true, '');
  loadWasm();
}

// The wasm could not load: the loader's dialog says what to do, and a submit waiting for it is
// no longer busy (submitting again tries again). A fetch that failed (a TypeError) means the
// network; anything else — a file missing, a file that is not the widget's — is the site's to
// fix, and its message names the file and says how.
function ownDialogFailed(error) {
  setBusy(ownRoot() && currentDialog(), false, error instanceof TypeError ? locale.file.loader.ProblemOffline : error.message);
}

// What the wasm starts from: the loader's page, open or not, and its fields.
function takeover() {
  var root = ownRoot();
  var dialog = root && root.firstElementChild;
  return dialog ? { page: modalState.page, open: modalState.isOpen, fields: fieldsOf(dialog) } : null;
}
