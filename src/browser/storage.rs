//! `localStorage` as plain strings, surviving a browser that refuses it: cookies blocked, a
//! sandboxed frame, a full quota. What cannot be stored is kept in memory for the life of the
//! page, and the page's console is told once why the login will not persist.

use std::cell::{Cell, RefCell};

/// A key and its value (`None`: removed), for the few keys the widget writes.
type Kept = Vec<(String, Option<String>)>;

thread_local! {
    /// Values whose last write failed, read before `localStorage`.
    static MEMORY: RefCell<Kept> = const { RefCell::new(Vec::new()) };
    static WARNED: Cell<bool> = const { Cell::new(false) };
    /// Whether `localStorage` takes writes: unknown until probed or written.
    static PERSISTS: Cell<Option<bool>> = const { Cell::new(None) };
}

/// Whether what is stored outlives this page: `localStorage` is there and takes writes
/// (probed once with a key written and removed; a failed write since says no).
pub fn persists() -> bool {
    if let Some(persists) = PERSISTS.get() {
        return persists;
    }
    let probe = local_storage().and_then(|storage| {
        storage.set_item(PROBE_KEY, "1")?;
        storage.remove_item(PROBE_KEY)
    });
    if let Err(error) = &probe {
        warn_once(error);
    }
    PERSISTS.set(Some(probe.is_ok()));
    probe.is_ok()
}

const PROBE_KEY: &str = "gotrue-widget-probe";

/// `window.localStorage`, or why there is none (the getter throws when it is denied).
fn local_storage() -> Result<web_sys::Storage, wasm_bindgen::JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    window
        .local_storage()?
        .ok_or_else(|| "no localStorage".into())
}

pub fn get(key: &str) -> Option<String> {
    match kept(key, None) {
        Some(value) => value,
        None => local_storage().ok()?.get_item(key).ok().flatten(),
    }
}

pub fn set(key: &str, value: &str) {
    let before = get(key);
    let written = local_storage().and_then(|storage| storage.set_item(key, value));
    if written.is_ok() && before.as_deref() != Some(value) {
        tell_page(key, before, Some(value));
    }
    after_write(key, written, Some(value));
}

pub fn remove(key: &str) {
    let before = get(key);
    let removed = local_storage().and_then(|storage| storage.remove_item(key));
    if removed.is_ok() && before.is_some() {
        tell_page(key, before, None);
    }
    after_write(key, removed, None);
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// Tells this page's other scripts of a write, as the browser tells other tabs: gotrue-js
    /// (under `@netlify/identity`) drops the user it keeps in memory only on a `storage`
    /// event, and `@netlify/identity`'s `onAuthChange` hears logins and logouts from it. The
    /// glue (`src/js/cookies.js`) sends it in a microtask, once the widget's state and cookies
    /// follow the write. Listeners that must not follow their own page's writes (the
    /// widget's) skip it: it is not trusted.
    #[wasm_bindgen(js_name = tellPage)]
    fn tell_page(key: &str, before: Option<String>, after: Option<&str>);
}

/// A failed write keeps `value` in memory (and the console is told); a success forgets it.
fn after_write(key: &str, written: Result<(), wasm_bindgen::JsValue>, value: Option<&str>) {
    match written {
        Ok(()) => {
            kept(key, Some(Forget));
        }
        Err(error) => {
            kept(key, Some(Keep(value.map(String::from))));
            PERSISTS.set(Some(false));
            warn_once(&error);
        }
    }
}

/// What to do with the memory's entry for a key.
enum Change {
    Keep(Option<String>),
    Forget,
}
use Change::{Forget, Keep};

/// The memory's value for `key` (`Some(None)`: removed), after applying `change`.
fn kept(key: &str, change: Option<Change>) -> Option<Option<String>> {
    MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        if let Some(change) = change {
            memory.retain(|(k, _)| k != key);
            if let Keep(value) = change {
                memory.push((key.to_string(), value));
            }
        }
        memory
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    })
}

fn warn_once(error: &wasm_bindgen::JsValue) {
    if WARNED.with(|warned| warned.replace(true)) {
        return;
    }
    let reason = js_sys::Reflect::get(error, &"message".into())
        .ok()
        .and_then(|message| message.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_default();
    web_sys::console::warn_1(
        &format!(
            "netlify-identity-widget: the browser refuses localStorage ({reason}); \
             a login lasts until this page is closed and is not shared with other tabs."
        )
        .into(),
    );
}

/// Calls `on_change` when another tab changes `key` (or clears the storage).
pub fn on_other_tab_change(key: &'static str, on_change: impl Fn() + 'static) {
    use wasm_bindgen::JsCast;
    let listener = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::StorageEvent)>::new(
        move |event: web_sys::StorageEvent| {
            // `key` is null when another tab cleared all of localStorage; an untrusted event
            // is this page's own news (`tell_page`).
            if event.is_trusted() && event.key().is_none_or(|k| k == key) {
                on_change();
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
