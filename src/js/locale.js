// Languages. A locale is what src/prerender.rs wrote for it: `lang`, `dir`, the loader's texts,
// the first dialogs rendered ahead of time (`pages`) and, but for English, the wasm's `texts`.
// English is built into the loader (ENGLISH); the others are files fetched when used. The last
// locale asked for wins, whatever order the files arrive in; one that fails to load leaves the
// current language.
/* global ENGLISH, LOCALE_CODES, wasm, controlsLocale, relocaliseDialog, fetchOk */
var localeFiles = { en: Promise.resolve(ENGLISH) };
var locale = { code: 'en', file: ENGLISH, wanted: 'en' };

// The shipped locale `language` names: `fr`, `fr-CA`, `zh-cn`, `zh_CN`, `zhCN`, `pt-BR`…
function shippedLocale(language) {
  language = String(language || '');
  var folded = language.replace(/[-_]/g, '').toLowerCase();
  var primary = language.split(/[-_]/)[0].toLowerCase();
  return LOCALE_CODES.filter(function (code) { return code.toLowerCase() === folded; })[0] ||
    (primary === 'zh' ? 'zhCN' : LOCALE_CODES.indexOf(primary) >= 0 ? primary : null);
}

// `auto` is the first of the browser's languages that ships; anything unknown is English.
function resolveLocale(requested) {
  if (/^auto$/i.test(requested)) {
    var preferred = (navigator.languages || [navigator.language]).map(shippedLocale).filter(Boolean);
    return preferred[0] || 'en';
  }
  return shippedLocale(requested) || 'en';
}

// Loads `requested` and shows it in the controls, the dialog and the wasm.
function useLocale(requested) {
  var code = resolveLocale(requested);
  locale.wanted = code;
  if (!localeFiles[code]) {
    localeFiles[code] = fetchOk('locales/' + code + '.txt').then(function (response) {
      return response.json();
    }).then(function (file) {
      if (!file || !file.pages || (code !== 'en' && !Array.isArray(file.texts))) throw new Error('not a locale file');
      return file;
    });
    localeFiles[code].catch(function () { delete localeFiles[code]; });
  }
  localeFiles[code].then(function (file) {
    if (locale.wanted !== code || locale.code === code) return;
    // The wasm first: it checks the table too, and one it refuses changes nothing.
    if (wasm) wasm.useLocale(code, code === 'en' ? null : JSON.stringify(file.texts));
    locale.code = code;
    locale.file = file;
    controlsLocale(file);
    relocaliseDialog();
  }).catch(function (error) {
    // Not loaded, not a locale, or refused: the current language stays.
    console.error('netlify-identity-widget: locale ' + code + ' did not load', error);
    if (locale.wanted === code) locale.wanted = locale.code;
  });
}

// An English page the loader leaves out (the localhost prompt for a site URL, an invite's
// password form), from locales/en.txt, before it shows.
function loadEnglishPage(name) {
  if (locale.wanted !== 'en' || ENGLISH.pages[name]) return;
  localeFiles.en = fetchOk('locales/en.txt').then(function (response) { return response.json(); })
    .then(function (file) { ENGLISH.pages[name] = file.pages[name]; }, function () {})
    .then(function () { return ENGLISH; });
}

// Settles once the locale asked for shows (or failed to load): what the wasm starts in.
function localeSettled() {
  return (localeFiles[locale.wanted] || localeFiles.en).then(function () {}, function () {});
}
