// The page's [data-netlify-identity-menu] and [data-netlify-identity-button] controls (COMPAT.md
// section L), with the old widget's class names so site CSS keeps working. The loader renders
// them, so a page shows them before (and without) the WebAssembly. Pointing at one (for a
// moment), focusing or touching it starts the download the click will need. The build puts
// CONTROLS_CSS (style/controls.css) in scope; the texts are the locale's (src/js/locale.js).
/* global ENGLISH, CONTROLS_CSS, fetchParts, adopt */
var controls = { texts: ENGLISH.loader, lang: 'en', dir: 'ltr', rendered: [] };


function displayName(user) {
  var metadata = user.user_metadata || {};
  return metadata.full_name || metadata.name || user.email || '';
}

function controlButton(className, label, onClick) {
  var button = document.createElement('button');
  var hover = 0;
  button.type = 'button';
  button.className = className;
  button.textContent = label;
  button.addEventListener('click', onClick);
  // A pointer passing over on its way elsewhere is no intent; one that rests 50 ms is.
  button.addEventListener('pointerover', function () { hover = setTimeout(fetchParts, 50); });
  button.addEventListener('pointerout', function () { clearTimeout(hover); });
  // Keyboard focus; a mouse's focus comes with its click, which loads after the dialog shows.
  button.addEventListener('focus', function () { if (button.matches(':focus-visible')) fetchParts(); });
  button.addEventListener('touchstart', fetchParts, { passive: true });
  return button;
}

function menuItem(children, extraClass) {
  var item = document.createElement('li');
  item.className = 'netlify-identity-item' + (extraClass ? ' ' + extraClass : '');
  children.forEach(function (child) { item.appendChild(child); });
  return item;
}

function renderMenu(element) {
  var list = document.createElement('ul');
  list.className = 'netlify-identity-menu';
  list.lang = controls.lang;
  list.dir = controls.dir;
  if (user) {
    var name = document.createElement('span');
    name.className = 'netlify-identity-user';
    name.textContent = displayName(user);
    list.appendChild(menuItem([name, document.createTextNode(' '),
      controlButton('netlify-identity-logout', controls.texts.LogOut, function () { api.logout(); })],
    'netlify-identity-user-details'));
  } else {
    list.appendChild(menuItem([controlButton('netlify-identity-signup', controls.texts.TabSignup, function () { api.open('signup'); })]));
    list.appendChild(menuItem([controlButton('netlify-identity-login', controls.texts.TabLogin, function () { api.open('login'); })]));
  }
  element.replaceChildren(list);
}

function renderButton(element, originalText) {
  var label = originalText || (user ? controls.texts.LogOut : controls.texts.LogIn);
  element.replaceChildren(controlButton('netlify-identity-button', label, function () { api.open('login'); }));
}

// Finds the controls once (remembering each button's own text), then redraws them on changes.
function renderControls() {
  if (!controls.found) {
    controls.found = true;
    document.querySelectorAll('[data-netlify-identity-menu]').forEach(function (element) {
      controls.rendered.push(function () { renderMenu(element); });
    });
    document.querySelectorAll('[data-netlify-identity-button]').forEach(function (element) {
      var originalText = element.textContent.trim();
      controls.rendered.push(function () { renderButton(element, originalText); });
    });
    if (controls.rendered.length && document.adoptedStyleSheets) adopt(document, CONTROLS_CSS);
  }
  controls.rendered.forEach(function (render) { render(); });
}

function controlsLocale(file) {
  controls.lang = file.lang;
  controls.dir = file.dir;
  controls.texts = file.loader;
  renderControls();
}
