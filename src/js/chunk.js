// Comes with the wasm (in its glue): what a chunk shows that is not code, for
// src/browser/chunk.rs. wasm-split moves functions into a chunk, not data, so a chunk's styles
// and the English of its texts would weigh on every login; they are in
// netlify-identity-widget-<chunk>.txt beside it instead (scripts/bundle.mjs). The styles join
// the dialog's shadow root; the texts go back to the wasm a line each.
/* global assets, fetchChunk */
/* exported chunkExtras */
function chunkExtras(chunk, root) {
  return fetchChunk(assets('netlify-identity-widget-' + chunk + '.txt')).then(function (response) {
    return response.json();
  }).then(function (extras) {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(extras.css);
    root.adoptedStyleSheets = root.adoptedStyleSheets.concat([sheet]);
    return extras.english.join('\n');
  });
}
