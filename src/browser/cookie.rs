//! The `nf_jwt` cookie that Netlify's role-based redirects read.

use wasm_bindgen::JsCast;
use web_sys::HtmlDocument;

const NAME: &str = "nf_jwt";

fn document() -> Option<HtmlDocument> {
    web_sys::window()?
        .document()?
        .dyn_into::<HtmlDocument>()
        .ok()
}

fn attributes() -> &'static str {
    let secure = web_sys::window()
        .and_then(|w| w.location().protocol().ok())
        .is_some_and(|p| p == "https:");
    if secure {
        "; path=/; SameSite=Lax; secure"
    } else {
        "; path=/; SameSite=Lax"
    }
}

/// Writes the current access token.
pub fn set_jwt(access_token: &str) {
    if let Some(document) = document() {
        let _ = document.set_cookie(&format!("{NAME}={access_token}{}", attributes()));
    }
}

/// Expires the cookie.
pub fn clear_jwt() {
    if let Some(document) = document() {
        let _ = document.set_cookie(&format!(
            "{NAME}=; expires=Thu, 01 Jan 1970 00:00:00 GMT{}",
            attributes()
        ));
    }
}
