//! A wasm chunk's side files: why a chunk (`manage`, `import`, `pkce`…) did not load, as the
//! glue recorded it, and what a chunk shows that is not code (its styles and texts' English,
//! fetched beside it by the glue's `src/js/chunk.js`).

use std::cell::RefCell;
use std::future::Future;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// A function of the glue's own scope: `fetchChunk` (`scripts/bundle.mjs`) keeps the message.
    #[wasm_bindgen(js_name = missingChunkFile)]
    fn glue_missing_chunk_file() -> JsValue;
    #[wasm_bindgen(js_name = chunkExtras)]
    fn glue_chunk_extras(chunk: &str, root: &JsValue) -> js_sys::Promise;
}

thread_local! {
    /// The dialog's shadow root, where a chunk's styles go.
    static ROOT: RefCell<JsValue> = const { RefCell::new(JsValue::UNDEFINED) };
}

/// The message naming the chunk file the server did not have, and what to do (in English, for
/// the site's developer, like the loader's); `None` when the network failed instead.
pub fn missing_chunk_file() -> Option<String> {
    glue_missing_chunk_file().as_string()
}

/// Keeps the shadow root the widget is mounted in.
pub fn set_root(root: JsValue) {
    ROOT.with(|slot| slot.replace(root));
}

/// Fetches `chunk`'s styles (they then apply in the dialog) and the English of its texts (a
/// line each); `None` when they did not load (offline, the file missing). The request starts at
/// the call, so it runs beside the chunk's own.
pub fn extras(chunk: &str) -> impl Future<Output = Option<String>> {
    let promise = ROOT.with(|root| glue_chunk_extras(chunk, &root.borrow()));
    async move { JsFuture::from(promise).await.ok()?.as_string() }
}
