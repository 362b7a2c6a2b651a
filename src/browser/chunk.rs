//! Why a wasm chunk (`manage`, `import`, `pkce`) did not load, as the glue recorded it.

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

#[wasm_bindgen]
extern "C" {
    /// A function of the glue's own scope: `fetchChunk` (`scripts/bundle.mjs`) keeps the message.
    #[wasm_bindgen(js_name = missingChunkFile)]
    fn glue_missing_chunk_file() -> JsValue;
}

/// The message naming the chunk file the server did not have, and what to do (in English, for
/// the site's developer, like the loader's); `None` when the network failed instead.
pub fn missing_chunk_file() -> Option<String> {
    glue_missing_chunk_file().as_string()
}
