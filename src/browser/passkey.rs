//! The browser's part of a passkey ceremony (`navigator.credentials`), through the glue's
//! `src/js/passkey.js`: the server's options go in as JSON text, the credential comes back as
//! JSON text, and a ceremony without one ends with the DOMException's name.

use std::cell::Cell;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// Ceremonies begun and not yet ended (a new one ends the last).
    static UNDER_WAY: Cell<u32> = const { Cell::new(0) };
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = passkeysUsable)]
    fn glue_usable() -> bool;
    #[wasm_bindgen(js_name = passkeyAutofillUsable)]
    fn glue_autofill_usable() -> js_sys::Promise;
    #[wasm_bindgen(js_name = passkeyCeremony)]
    fn glue_ceremony(create: bool, options: &str, autofill: bool, lasts_ms: i32)
        -> js_sys::Promise;
    #[wasm_bindgen(js_name = passkeyAbort)]
    fn glue_abort();
}

/// Which ceremony to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ceremony {
    /// Sign in, the person choosing a passkey in the browser's dialog.
    SignIn,
    /// Sign in from the email field's autofill list; waits until the person picks one there.
    Autofill,
    /// Create a passkey for the logged-in account.
    Add,
}

/// Whether this browser can run both ceremonies with the server's JSON.
pub fn usable() -> bool {
    glue_usable()
}

/// Whether the browser lists passkeys in the email field's autofill.
pub async fn autofill_usable() -> bool {
    JsFuture::from(glue_autofill_usable())
        .await
        .is_ok_and(|available| available.is_truthy())
}

/// What [`run_for`] ends with when its time is up.
pub const RENEWED: &str = "Renewed";

/// Runs `ceremony` with the server's `options` (JSON). `Ok`: the credential as JSON text;
/// `Err`: the DOMException's name (`NotAllowedError` when cancelled or timed out).
pub async fn run(ceremony: Ceremony, options: &str) -> Result<String, String> {
    run_for(ceremony, options, 0).await
}

/// As [`run`], ended after `lasts_ms` (if positive) with [`RENEWED`].
pub async fn run_for(ceremony: Ceremony, options: &str, lasts_ms: i32) -> Result<String, String> {
    let create = ceremony == Ceremony::Add;
    let promise = glue_ceremony(create, options, ceremony == Ceremony::Autofill, lasts_ms);
    UNDER_WAY.with(|n| n.set(n.get() + 1));
    let outcome = JsFuture::from(promise).await;
    UNDER_WAY.with(|n| n.set(n.get().saturating_sub(1)));
    match outcome {
        Ok(credential) => credential.as_string().ok_or_else(|| "UnknownError".into()),
        Err(name) => Err(name.as_string().unwrap_or_else(|| "UnknownError".into())),
    }
}

/// Ends the ceremony under way, if any (it then ends with `AbortError`).
pub fn abort() {
    if UNDER_WAY.with(Cell::get) > 0 {
        glue_abort();
    }
}
