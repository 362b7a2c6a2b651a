//! `localStorage` as plain strings. A browser that refuses storage (privacy modes) simply
//! keeps nothing.

use gloo_storage::{LocalStorage, Storage};

pub fn get(key: &str) -> Option<String> {
    LocalStorage::raw().get_item(key).ok().flatten()
}

pub fn set(key: &str, value: &str) {
    let _ = LocalStorage::raw().set_item(key, value);
}

pub fn remove(key: &str) {
    let _ = LocalStorage::raw().remove_item(key);
}

/// Calls `on_change(new value)` when another tab changes `key` (`None`: removed or cleared).
pub fn on_other_tab_change(key: &'static str, on_change: impl Fn(Option<String>) + 'static) {
    use wasm_bindgen::JsCast;
    let listener = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::StorageEvent)>::new(
        move |event: web_sys::StorageEvent| {
            // `key` is null when another tab cleared all of localStorage.
            if event.key().is_none_or(|k| k == key) {
                on_change(event.new_value());
            }
        },
    );
    if let Some(window) = web_sys::window() {
        let _ =
            window.add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref());
    }
    // The widget lives as long as the page.
    listener.forget();
}
