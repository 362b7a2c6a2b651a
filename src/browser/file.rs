//! Reading the file a person chose in an `<input type="file">` (the users import).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The text of the first file chosen in `input`; `None` when there is none or it cannot be read.
/// The input is emptied, so choosing the same file again (a second run) is a change too.
pub async fn chosen_text(input: &web_sys::HtmlInputElement) -> Option<String> {
    let file = input.files()?.get(0)?;
    let text = JsFuture::from(file.text()).await.ok()?.as_string();
    input.set_value("");
    text
}

/// The `<input>` an event came from.
pub fn input_of(event: &web_sys::Event) -> Option<web_sys::HtmlInputElement> {
    event.target()?.dyn_into().ok()
}
