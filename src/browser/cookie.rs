//! The cookies the site's other code reads: `nf_jwt` (Netlify's role-based redirects; with
//! `nf_refresh`, `@netlify/identity` in the page and in functions). Written by the widget, so
//! the page's scripts can read them, unless the server keeps `nf_jwt` HttpOnly
//! (`httpOnlyCookie`); then a write here cannot replace it and none is read.

use std::cell::RefCell;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::HtmlDocument;

/// The access token's cookie.
pub const JWT: &str = "nf_jwt";
/// The refresh token's cookie, as `@netlify/identity` names it.
pub const REFRESH: &str = "nf_refresh";

thread_local! {
    /// `init({cookieDomain})`, validated by the loader (no `;`, CR or LF).
    static DOMAIN: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Sets the cookies' `domain` attribute (`None`: the page's host).
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

fn write(name: &str, value: &str) {
    if let Some(document) = document() {
        let value = String::from(js_sys::encode_uri_component(value));
        let _ = document.set_cookie(&format!("{name}={value}{}", attributes()));
    }
}

fn expire(name: &str) {
    if let Some(document) = document() {
        let _ = document.set_cookie(&format!(
            "{name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT{}",
            attributes()
        ));
    }
}

/// Writes the session's tokens: `nf_jwt`, and `nf_refresh` when given (else it is expired).
pub fn set_tokens(access_token: &str, refresh_token: Option<&str>) {
    write(JWT, access_token);
    match refresh_token {
        Some(refresh_token) => write(REFRESH, refresh_token),
        None => expire(REFRESH),
    }
}

/// Expires both cookies.
pub fn clear() {
    expire(JWT);
    expire(REFRESH);
}

/// A cookie's value as the page's scripts read it (`None`: absent, or HttpOnly).
pub fn read(name: &str) -> Option<String> {
    let cookies = document()?.cookie().ok()?;
    let value = cookies
        .split("; ")
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))?;
    Some(
        js_sys::decode_uri_component(value)
            .map(String::from)
            .unwrap_or_else(|_| value.to_string()),
    )
}

/// Calls `on_change` when `nf_jwt` or `nf_refresh` changes: set or expired by this page's other
/// scripts, another tab or a server's answer (the Cookie Store API's `change` event). Where the
/// browser has no `cookieStore`, nothing calls it: the next page load reads the cookies.
pub fn on_change(on_change: impl Fn() + 'static) {
    let Some(store) = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"cookieStore".into()).ok())
        .and_then(|store| store.dyn_into::<web_sys::EventTarget>().ok())
    else {
        return;
    };
    let listener = Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
        let ours = ["changed", "deleted"].into_iter().any(|list| {
            js_sys::Reflect::get(&event, &list.into())
                .ok()
                .and_then(|cookies| cookies.dyn_into::<js_sys::Array>().ok())
                .is_some_and(|cookies| {
                    cookies.iter().any(|cookie| {
                        js_sys::Reflect::get(&cookie, &"name".into())
                            .ok()
                            .and_then(|name| name.as_string())
                            .is_some_and(|name| name == JWT || name == REFRESH)
                    })
                })
        });
        if ours {
            on_change();
        }
    });
    let _ = store.add_event_listener_with_callback("change", listener.as_ref().unchecked_ref());
    // The widget lives as long as the page.
    listener.forget();
}
