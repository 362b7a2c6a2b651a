//! A wasm chunk that did not load, said to the person (a page) or to the page's code (a
//! promise): the file the site does not serve, named with what to do, else the network.

use super::Widget;
use crate::browser::chunk::missing_chunk_file;
use crate::core::i18n::Text;
use crate::core::problem::Problem;
use leptos::wasm_split::SplitLoaderError;
use wasm_bindgen::JsValue;

/// Why a chunk did not load: `Some(message)` when the server did not have one of its files.
#[derive(Clone, Debug)]
pub struct ChunkFailure(Option<String>);

impl From<SplitLoaderError> for ChunkFailure {
    /// The failure just reported, as the glue recorded it.
    fn from(_: SplitLoaderError) -> Self {
        ChunkFailure(missing_chunk_file())
    }
}

impl ChunkFailure {
    /// What the dialog says: the missing file's message (in English, for the site's
    /// developer, like the loader's), else the translated offline problem.
    pub fn text(&self, widget: Widget) -> String {
        self.0
            .clone()
            .unwrap_or_else(|| widget.text(Text::for_problem(Problem::Offline)).to_owned())
    }

    /// What a page's promise rejects with.
    pub fn js_error(&self, widget: Widget) -> JsValue {
        js_sys::Error::new(&self.text(widget)).into()
    }
}
