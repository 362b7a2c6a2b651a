// The explorer's instruments, installed before the widget (tests/e2e/explorer.mjs): the
// device's clock shifted as the test asks (`?skew=<ms>`), localStorage denied (`?storage=
// denied`) or full (`?storage=full`), and a record of every promise the page's calls return.
(function () {
  var query = new URLSearchParams(location.search);
  var skew = Number(query.get('skew')) || 0;
  var realNow = Date.now;
  // Tokens page calls were handed that the server (the real clock) already considers expired.
  window.expiredHandedOut = [];
  window.checkFresh = function (token) {
    try {
      var claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      if (claims.exp * 1000 <= realNow()) window.expiredHandedOut.push(claims.exp);
    } catch (error) { window.expiredHandedOut.push('not a JWT'); }
  };
  if (skew) {
    var RealDate = Date;
    var SkewedDate = function (a, b, c, d, e, f, g) {
      if (!(this instanceof SkewedDate)) return new RealDate(RealDate.now() + skew).toString();
      return arguments.length ? new RealDate(a, b === undefined ? 0 : b, c === undefined ? 1 : c, d || 0, e || 0, f || 0, g || 0) : new RealDate(RealDate.now() + skew);
    };
    SkewedDate.prototype = RealDate.prototype;
    SkewedDate.now = function () { return RealDate.now() + skew; };
    SkewedDate.UTC = RealDate.UTC;
    SkewedDate.parse = RealDate.parse;
    window.Date = SkewedDate;
  }
  var storage = query.get('storage');
  if (storage === 'denied') {
    Object.defineProperty(window, 'localStorage', {
      get: function () { throw new DOMException("Failed to read the 'localStorage' property from 'Window': Access is denied for this document.", 'SecurityError'); }
    });
  } else if (storage === 'full') {
    Storage.prototype.setItem = function () { throw new DOMException("Failed to execute 'setItem' on 'Storage': Setting the value exceeded the quota.", 'QuotaExceededError'); };
  }
  // The widget's warning that a login will not persist, counted for this page.
  window.storageWarnings = 0;
  var warn = console.warn;
  console.warn = function (message) {
    if (/refuses localStorage/.test(String(message))) window.storageWarnings++;
    return warn.apply(console, arguments);
  };
  window.calls = [];
  // Records how `promise` (a page call's result) settles: an entry each time it does.
  window.track = function (label, promise) {
    var call = { label: label, settled: 0 };
    window.calls.push(call);
    if (!promise || typeof promise.then !== 'function') { call.settled = 1; return; }
    promise.then(function () { call.settled++; }, function () { call.settled++; });
  };
})();
