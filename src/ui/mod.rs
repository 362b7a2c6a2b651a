//! The Leptos views: the modal in the open shadow root the loader made on
//! `#netlify-identity-widget`. (The page's menu and button controls are the loader's,
//! `src/js/controls.js`, so they show before the WebAssembly loads.)

mod account;
mod account_security;
mod auth0_files;
mod fields;
mod import;
mod manage;
mod modal;
mod pages;
mod passkey;
mod security;
mod security_slot;
mod sign_in_link;
mod signup_fields;

pub use signup_fields::CONSENT_FIELD;
mod user_detail;
mod users;

use crate::widget::Widget;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlElement, ShadowRoot};

/// Mounts the modal in a new root in `shadow`, the shadow root the loader made (with the
/// styles adopted). The loader then replaces its own dialog with this one (`src/js/dialog.js`).
pub fn mount(widget: Widget, shadow: &ShadowRoot) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let root: HtmlElement = document.create_element("div")?.unchecked_into();
    root.set_class_name("gw-root");
    shadow.append_child(&root)?;
    leptos::mount::mount_to(root, move || modal::Modal(modal::ModalProps { widget })).forget();
    Ok(())
}

/// The modal as HTML, rendered natively at build time (`src/prerender.rs`).
#[cfg(feature = "prerender")]
pub fn to_html(widget: Widget) -> String {
    use leptos::prelude::RenderHtml;
    modal::Modal(modal::ModalProps { widget }).to_html()
}
