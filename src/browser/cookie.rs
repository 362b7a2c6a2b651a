//! The cookies the site's other code reads: `nf_jwt` (Netlify's role-based redirects; with
//! `nf_refresh`, `@netlify/identity` in the page and in functions). Written by the widget, so
//! the page's scripts can read them, unless the server keeps `nf_jwt` HttpOnly
//! (`httpOnlyCookie`); then a write here cannot replace it and none is read.

use std::cell::RefCell;
use wasm_bindgen::prelude::{wasm_bindgen, Closure};

#[wasm_bindgen]
extern "C" {
    // Functions of the glue's own scope (`src/js/cookies.js`), found by name.
    #[wasm_bindgen(js_name = readCookie)]
    fn glue_read_cookie(name: &str) -> Option<String>;
    #[wasm_bindgen(js_name = writeCookie)]
    fn glue_write_cookie(text: &str);
    #[wasm_bindgen(js_name = onCookieChange)]
    fn glue_on_cookie_change(callback: &Closure<dyn Fn()>);
}

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

/// Tokens are cookie-safe as they are (JWTs and GoTrue's refresh tokens are base64url), so
/// values are neither encoded nor decoded (`@netlify/identity`'s encoding leaves them alone).
fn write(name: &str, value: &str) {
    glue_write_cookie(&format!("{name}={value}{}", attributes()));
}

fn expire(name: &str) {
    write(name, "; expires=Thu, 01 Jan 1970 00:00:00 GMT");
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
    glue_read_cookie(name)
}

/// Calls `on_change` when a cookie changes (`nf_jwt` and `nf_refresh` among them): set or
/// expired by this page's other scripts, another tab or a server's answer (the Cookie Store
/// API's `change` event; what it does is cheap, so which cookie is not asked). Where the
/// browser has no `cookieStore`, nothing calls it: the next page load reads the cookies.
pub fn on_change(on_change: impl Fn() + 'static) {
    let listener = Closure::<dyn Fn()>::new(on_change);
    glue_on_cookie_change(&listener);
    // The widget lives as long as the page.
    listener.forget();
}
