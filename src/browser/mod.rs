//! The only code that touches browser APIs besides the UI: small wrappers that turn
//! `JsValue`s into plain Rust values and errors.

pub mod chunk;
pub mod cookie;
pub mod download;
pub mod file;
pub mod http;
pub mod location;
pub mod passkey;
pub mod script_tag;
pub mod storage;

/// Milliseconds since the epoch.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The time now as ISO 8601 UTC (`2026-11-27T10:00:00.000Z`).
pub fn now_iso() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

/// Runs `callback` once after `delay_ms`.
pub fn set_timeout(delay_ms: i32, callback: impl FnOnce() + 'static) {
    let closure = wasm_bindgen::closure::Closure::once_into_js(callback);
    if let Some(window) = web_sys::window() {
        let function = wasm_bindgen::JsCast::unchecked_ref(&closure);
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(function, delay_ms);
    }
}

/// Resolves after `delay_ms`.
pub async fn sleep(delay_ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        set_timeout(delay_ms, move || {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
        });
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// 32 bytes from the browser's cryptographic generator; `None` without one.
pub fn random_bytes() -> Option<[u8; 32]> {
    let mut bytes = [0u8; 32];
    web_sys::window()?
        .crypto()
        .ok()?
        .get_random_values_with_u8_array(&mut bytes)
        .ok()?;
    Some(bytes)
}
