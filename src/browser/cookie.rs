//! The `nf_jwt` cookie that Netlify's role-based redirects read.

use std::cell::RefCell;
use wasm_bindgen::JsCast;
use web_sys::HtmlDocument;

const NAME: &str = "nf_jwt";

thread_local! {
    /// `init({cookieDomain})`, validated by the loader (no `;`, CR or LF).
    static DOMAIN: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Sets the cookie's `domain` attribute (`None`: the page's host).
pub fn set_domain(domain: Option<String>) {
    DOMAIN.with(|d| *d.borrow_mut() = domain.filter(|d| !d.is_empty()));
}

/// Whether a cookie domain was configured (then GoTrue is not asked to set the cookie).
pub fn has_domain() -> bool {
    DOMAIN.with(|d| d.borrow().is_some())
}

fn document() -> Option<HtmlDocument> {
    web_sys::window()?
        .document()?
        .dyn_into::<HtmlDocument>()
        .ok()
}

fn attributes() -> String {
    let secure = web_sys::window()
        .and_then(|w| w.location().protocol().ok())
        .is_some_and(|p| p == "https:");
    let mut attributes = String::from("; path=/; SameSite=Lax");
    if secure {
        attributes.push_str("; secure");
    }
    DOMAIN.with(|d| {
        if let Some(domain) = d.borrow().as_deref() {
            attributes.push_str("; domain=");
            attributes.push_str(domain);
        }
    });
    attributes
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
