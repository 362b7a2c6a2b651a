//! The Leptos views: the modal in an open shadow root on `#netlify-identity-widget`. (The
//! page's menu and button controls are the loader's, `src/js/controls.js`, so they show
//! before the WebAssembly loads.)

mod account;
mod fields;
mod manage;
mod modal;
mod pages;
mod signup_fields;

pub use signup_fields::CONSENT_FIELD;
mod user_detail;
mod users;

use crate::widget::Widget;
use leptos::prelude::WithValue;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, ShadowRootInit, ShadowRootMode};

/// The id of the host element, as the old widget named its iframe.
pub const HOST_ID: &str = "netlify-identity-widget";

/// Creates the host (once) in `container`, adopts `css` in its shadow root, and mounts the
/// modal.
pub fn mount(widget: Widget, container: Option<Element>, css: &str) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    if document.get_element_by_id(HOST_ID).is_some() {
        return Ok(());
    }
    let container = match container {
        Some(element) => element,
        None => document.body().ok_or("no body")?.into(),
    };
    let host = document.create_element("div")?;
    host.set_id(HOST_ID);
    if let Some(theme) = widget.options.with_value(|o| o.theme.attribute()) {
        host.set_attribute("data-theme", theme)?;
    }
    container.append_child(&host)?;
    // Open, not closed: Leptos's delegated events walk `composedPath()`, which a closed root hides.
    let shadow = host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?;
    adopt(&shadow, css)?;
    let root: HtmlElement = document.create_element("div")?.unchecked_into();
    root.set_class_name("gw-root");
    shadow.append_child(&root)?;
    leptos::mount::mount_to(root, move || modal::Modal(modal::ModalProps { widget })).forget();
    Ok(())
}

/// Gives the shadow root its one constructed sheet (no `style-src 'unsafe-inline'` needed).
fn adopt(shadow: &JsValue, css: &str) -> Result<(), JsValue> {
    let sheet = web_sys::CssStyleSheet::new()?;
    sheet.replace_sync(css)?;
    js_sys::Reflect::set(
        shadow,
        &"adoptedStyleSheets".into(),
        &js_sys::Array::of1(&sheet),
    )?;
    Ok(())
}
