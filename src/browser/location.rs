//! The page URL: reading the fragment, removing it without a history entry, leaving the page.

/// `location.hash`, with its `#`.
pub fn hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Removes the fragment in place (`history.replaceState`, no new entry, no reload) if it is
/// still `expected`: a fragment the page set since is the page's.
pub fn clear_hash_if(expected: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if hash() != expected {
        return;
    }
    let location = window.location();
    let url = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Takes the query parameter `name` out of the URL in place (no new history entry), keeping the
/// rest of the query and the fragment; its value.
pub fn take_query_param(name: &str) -> Option<String> {
    let window = web_sys::window()?;
    let location = window.location();
    let (value, rest) =
        crate::core::fragment::take_param(&location.search().unwrap_or_default(), name);
    value.as_ref()?;
    let url = format!(
        "{}{rest}{}",
        location.pathname().unwrap_or_default(),
        hash()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
    value
}

/// Whether the page is served from this machine (the old widget's localhost rules).
pub fn is_localhost() -> bool {
    let host = web_sys::window()
        .and_then(|w| w.location().hostname().ok())
        .unwrap_or_default();
    matches!(
        host.as_str(),
        "localhost" | "127.0.0.1" | "0.0.0.0" | "[::1]"
    )
}

/// The page's URL without its fragment (where an emailed link should bring the person back).
pub fn page_url() -> String {
    let Some(window) = web_sys::window() else {
        return String::new();
    };
    let location = window.location();
    let part = |value: Result<String, wasm_bindgen::JsValue>| value.unwrap_or_default();
    format!(
        "{}{}{}",
        part(location.origin()),
        part(location.pathname()),
        part(location.search())
    )
}

/// Navigates the page (external-provider login).
pub fn assign(url: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(url);
    }
}
