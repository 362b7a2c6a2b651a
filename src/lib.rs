//! gotrue-widget: a drop-in successor to netlify-identity-widget.
//!
//! `core` is pure Rust, tested natively. `browser` wraps the few browser APIs used, `widget`
//! holds the running state and its operations, `ui` renders it with Leptos. This file holds
//! the wasm entry points only; `src/js/facade.js` turns them into `window.netlifyIdentity`.

pub mod core;

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
mod ui;
#[cfg(target_arch = "wasm32")]
mod widget;

#[cfg(target_arch = "wasm32")]
pub use entry::*;

#[cfg(target_arch = "wasm32")]
mod entry {
    use crate::core::api::Problem;
    use crate::core::flow::{Event, Page};
    use crate::core::i18n::{Locale, Text};
    use crate::core::json::Value;
    use crate::widget::{bridge, Options, Widget};
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::future_to_promise;

    fn widget() -> Result<Widget, JsValue> {
        Widget::get().ok_or_else(|| js_sys::Error::new("netlifyIdentity is not initialised").into())
    }

    /// A rejected promise's reason: an `Error` with the translated message.
    fn problem_error(widget: Widget, problem: Problem) -> JsValue {
        js_sys::Error::new(widget.text(Text::for_problem(problem))).into()
    }

    /// Starts the widget: restores the session, mounts the UI, finishes a link in the URL.
    /// `facade` receives `setUser`, `emit` and `modal` calls.
    #[wasm_bindgen]
    pub fn start(
        facade: JsValue,
        css: String,
        api_url: String,
        locale: String,
        container: Option<web_sys::Element>,
        cookie_domain: Option<String>,
        name_placeholder: Option<String>,
    ) -> Result<(), JsValue> {
        bridge::connect(facade);
        crate::browser::cookie::set_domain(cookie_domain);
        let widget = Widget::create(&Options {
            api_url,
            locale,
            name_placeholder,
        });
        crate::ui::mount(widget, container, &css)?;
        // On localhost without a site URL there is no API yet: sessions and links wait for it.
        if !widget.needs_site_url.get_untracked() {
            widget.restore_session();
            widget.handle_link(&crate::browser::location::hash());
        }
        Ok(())
    }

    /// A second `init()` with options: applies the API URL (v1 behaviour). If the first
    /// `init` was waiting for a site URL, the session and the link wait no longer.
    #[wasm_bindgen]
    pub fn configure(api_url: String) -> Result<(), JsValue> {
        let widget = widget()?;
        if widget.api_url.get_untracked() != api_url {
            widget.api_url.set(api_url);
            widget.settings.set(None);
        }
        if widget.needs_site_url.get_untracked() {
            widget.needs_site_url.set(false);
            widget.restore_session();
            widget.handle_link(&crate::browser::location::hash());
        }
        Ok(())
    }

    /// `open(page)`: throws `Invalid action for open: <x>` for names the old widget rejects.
    #[wasm_bindgen]
    pub fn open(page: String) -> Result<(), JsValue> {
        let target = Page::from_open_argument(&page).ok_or_else(|| {
            JsValue::from(js_sys::Error::new(&format!(
                "Invalid action for open: {page}"
            )))
        })?;
        widget()?.dispatch(Event::Open(target));
        Ok(())
    }

    #[wasm_bindgen]
    pub fn close() -> Result<(), JsValue> {
        widget()?.dispatch(Event::Close);
        Ok(())
    }

    #[wasm_bindgen(js_name = setLocale)]
    pub fn set_locale(code: String) -> Result<(), JsValue> {
        widget()?.locale.set(Locale::from_code(&code));
        Ok(())
    }

    /// `logout()`: resolves once the session is gone here and the server was told.
    #[wasm_bindgen]
    pub fn logout() -> Result<js_sys::Promise, JsValue> {
        let widget = widget()?;
        Ok(future_to_promise(async move {
            widget.log_out().await;
            Ok(JsValue::UNDEFINED)
        }))
    }

    /// `user.jwt(force)` and `refresh(force)`.
    #[wasm_bindgen]
    pub fn jwt(force: bool) -> Result<js_sys::Promise, JsValue> {
        let widget = widget()?;
        Ok(future_to_promise(async move {
            widget
                .jwt(force)
                .await
                .map(|token| JsValue::from_str(&token))
                .map_err(|p| problem_error(widget, p))
        }))
    }

    /// `user.update(attributes)` with the attributes as JSON; resolves when stored.
    #[wasm_bindgen]
    pub fn update(attributes_json: String) -> Result<js_sys::Promise, JsValue> {
        let widget = widget()?;
        let attributes = Value::parse(&attributes_json)
            .map_err(|_| js_sys::Error::new("update: attributes must be an object"))?;
        Ok(future_to_promise(async move {
            widget
                .update_user(attributes)
                .await
                .map(|()| JsValue::UNDEFINED)
                .map_err(|p| problem_error(widget, p))
        }))
    }

    /// `user.getUserData()`: fetches the user again and stores it.
    #[wasm_bindgen(js_name = reloadUser)]
    pub fn reload_user() -> Result<js_sys::Promise, JsValue> {
        let widget = widget()?;
        Ok(future_to_promise(async move {
            let token = widget
                .jwt(false)
                .await
                .map_err(|p| problem_error(widget, p))?;
            let user = widget
                .call(crate::core::api::Request::get_user(&token))
                .await
                .map_err(|p| problem_error(widget, p))?;
            widget.set_user(&user);
            Ok(JsValue::UNDEFINED)
        }))
    }

    /// `store.user = null` and `user.clearSession()`: forget the session here, fire `logout`.
    #[wasm_bindgen(js_name = endSession)]
    pub fn end_session() -> Result<(), JsValue> {
        widget()?.end_session();
        Ok(())
    }
}
