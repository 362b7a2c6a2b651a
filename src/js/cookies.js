// Comes with the wasm (in its glue): the cookies the site's other code reads and the storage
// news this page's other scripts hear, for src/browser/cookie.rs and src/browser/storage.rs,
// which import these by name (smaller here than through web-sys).
/* exported readCookie, writeCookie, onCookieChange, tellPage */
function readCookie(name) {
  var found = document.cookie.split('; ').filter(function (pair) { return pair.indexOf(name + '=') === 0; })[0];
  return found && found.slice(name.length + 1);
}
function writeCookie(text) { document.cookie = text; }
// Any cookie's change (this page's scripts, another tab, a server's answer); none without the
// Cookie Store API.
function onCookieChange(callback) { if (self.cookieStore) cookieStore.addEventListener('change', function () { callback(); }); }
// As the browser tells other tabs, after the widget's state follows the write (a microtask).
function tellPage(key, oldValue, newValue) {
  queueMicrotask(function () {
    dispatchEvent(new StorageEvent('storage', { key: key, oldValue: oldValue, newValue: newValue, storageArea: localStorage, url: location.href }));
  });
}
