//! Calls from the wasm into the loader (`src/js/api.js`), which owns the page-facing API
//! object, the user object's identity, the event handlers and the native dialog's opening.

use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

thread_local! {
    static FACADE: RefCell<JsValue> = const { RefCell::new(JsValue::UNDEFINED) };
}

/// Keeps the loader's bridge object (`{setUser, emit, modal, withLock}`).
pub fn connect(facade: JsValue) {
    FACADE.with(|slot| *slot.borrow_mut() = facade);
}

fn call(method: &str, args: &[JsValue]) {
    // A throwing page handler must not stop the widget; the loader reports it.
    let _ = call_returning(method, args);
}

/// Calls a bridge method; `None` when there is no such method or it threw.
fn call_returning(method: &str, args: &[JsValue]) -> Option<JsValue> {
    FACADE.with(|slot| {
        let facade = slot.borrow();
        let function = js_sys::Reflect::get(&facade, &JsValue::from_str(method)).ok()?;
        let function = function.dyn_ref::<js_sys::Function>()?;
        let array: js_sys::Array = args.iter().collect();
        function.apply(&facade, &array).ok()
    })
}

/// Runs `work` holding the lock `name`, which one tab of the site holds at a time (Web
/// Locks); without Web Locks (or a bridge), runs it at once. Settles as `work`'s promise.
pub fn with_lock(name: &str, work: impl FnOnce() -> js_sys::Promise + 'static) -> js_sys::Promise {
    let work = std::rc::Rc::new(std::cell::Cell::new(Some(work)));
    let run = {
        let work = work.clone();
        move || {
            work.take()
                .map_or_else(|| js_sys::Promise::resolve(&JsValue::UNDEFINED), |w| w())
        }
    };
    let callback = wasm_bindgen::closure::Closure::once_into_js(run.clone());
    call_returning("withLock", &[JsValue::from_str(name), callback])
        .and_then(|value| value.dyn_into::<js_sys::Promise>().ok())
        .unwrap_or_else(run)
}

/// The stored record of the new user (JSON), or `None` after a logout.
pub fn set_user(record_json: Option<&str>) {
    call(
        "setUser",
        &[record_json.map_or(JsValue::NULL, JsValue::from_str)],
    );
}

/// Fires a page event; the loader passes its user object to `login`.
pub fn emit(event: &str, argument: Option<&str>) {
    call(
        "emit",
        &[
            JsValue::from_str(event),
            argument.map_or(JsValue::UNDEFINED, JsValue::from_str),
        ],
    );
}

/// Mirrors the modal's state into `store.modal` and `store.saving`.
pub fn modal_changed(page: &str, is_open: bool, busy: bool) {
    call(
        "modal",
        &[
            JsValue::from_str(page),
            JsValue::from_bool(is_open),
            JsValue::from_bool(busy),
        ],
    );
}
