//! gotrue-widget: a drop-in successor to netlify-identity-widget.
//!
//! `core` is pure Rust, tested natively. `browser` wraps the few browser APIs used, `widget`
//! holds the running state and its operations, `ui` renders it with Leptos; `prerender`
//! renders the first dialogs natively at build time. This file holds the wasm entry points
//! only; the loader (`src/js/api.js`) turns them into `window.netlifyIdentity`.

pub mod core;

// The native build-time renderer (`prerender`) compiles the browser layers only to render
// the views: what only the wasm entry points call is unused there.
#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod browser;
#[cfg(feature = "prerender")]
pub mod prerender;
#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod ui;
#[cfg(any(target_arch = "wasm32", feature = "prerender"))]
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod widget;

#[cfg(target_arch = "wasm32")]
pub use entry::*;

#[cfg(target_arch = "wasm32")]
mod entry {
    use crate::core::flow::{Event, Page};
    use crate::core::i18n::Locale;
    use crate::core::json::Value;
    use crate::core::startup::Startup;
    use crate::widget::{bridge, Widget};
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::future_to_promise;

    fn widget() -> Result<Widget, JsValue> {
        Widget::get().ok_or_else(|| js_sys::Error::new("netlifyIdentity is not initialised").into())
    }

    /// Starts the widget: restores the session, mounts the UI in `shadow` (the loader's shadow
    /// root) in the state the loader's dialog left, finishes the link the page was opened with.
    /// `facade` (the loader's bridge) receives `setUser`, `emit`, `modal` and `withLock` calls;
    /// `startup_json` is described in `core::startup`.
    #[wasm_bindgen]
    pub fn start(
        facade: JsValue,
        shadow: web_sys::ShadowRoot,
        startup_json: String,
    ) -> Result<(), JsValue> {
        // Already running is fine: the result only says whether this call started it.
        let _ = any_spawner::Executor::init_wasm_bindgen();
        bridge::connect(facade);
        let mut startup_value = Value::parse(&startup_json).unwrap_or(Value::Null);
        if let Value::Object(_) = startup_value {
            startup_value.set("script", crate::browser::script_tag::options());
        }
        let startup = Startup::from_json(&startup_value);
        crate::browser::cookie::set_domain(startup.options.cookie_domain.clone());
        let locale =
            Locale::from_value(&startup.locale, &startup.texts).unwrap_or_else(Locale::english);
        let widget = Widget::create(startup.api_url, startup.options, locale);
        if let Some(metadata) = startup.signup_metadata {
            widget.signup_metadata.set(metadata);
        }
        let shown = startup.takeover.open;
        widget.take_over(startup.takeover);
        widget.detect_dev_site_url();
        // On localhost without a site URL there is no API yet: sessions and links wait for it.
        if !widget.needs_site_url.get_untracked() {
            widget.restore_session();
            widget.agree_with_page(startup.told.as_deref());
            widget.handle_link(&startup.link);
        }
        // Mounted in the state all that left, so its first render is what the loader swaps in.
        crate::browser::chunk::set_root(shadow.clone().into());
        crate::ui::mount(widget, &shadow)?;
        if shown {
            widget.load_settings();
        }
        // What storage holds now, not the event's value: events from several tabs can arrive
        // after this tab's own later write.
        crate::browser::storage::on_other_tab_change(
            crate::core::session::STORAGE_KEY,
            move || {
                widget.follow_other_tab(crate::browser::storage::get(
                    crate::core::session::STORAGE_KEY,
                ))
            },
        );
        crate::browser::cookie::on_change(move || widget.follow_cookie_change());
        Ok(())
    }

    /// A second `init()` with options: applies the API URL (v1 behaviour). If the first
    /// `init` was waiting for a site URL, the session and `link` (the fragment the page was
    /// opened with) wait no longer.
    #[wasm_bindgen]
    pub fn configure(api_url: String, link: String) -> Result<(), JsValue> {
        let widget = widget()?;
        if widget.api_url.get_untracked() != api_url {
            widget.api_url.set(api_url);
            widget.settings.set(None);
        }
        if widget.needs_site_url.get_untracked() {
            widget.needs_site_url.set(false);
            widget.restore_session();
            widget.handle_link(&link);
        }
        Ok(())
    }

    /// `open(page)`: throws `Invalid action for open: <x>` for names the old widget rejects.
    #[wasm_bindgen]
    /// `metadata_json` (v2's `open('signup', {full_name, …})`) pre-fills the signup form and
    /// is sent as the signup's `data`.
    pub fn open(page: String, metadata_json: Option<String>) -> Result<(), JsValue> {
        let target = Page::from_open_argument(&page).ok_or_else(|| {
            JsValue::from(js_sys::Error::new(&format!(
                "Invalid action for open: {page}"
            )))
        })?;
        let widget = widget()?;
        if let Some(Ok(metadata @ Value::Object(_))) = metadata_json.as_deref().map(Value::parse) {
            widget.signup_metadata.set(metadata);
        }
        widget.dispatch(Event::Open(target));
        Ok(())
    }

    /// A link that reached the page after it loaded (a pasted URL changed only the fragment).
    #[wasm_bindgen]
    pub fn link(fragment: String) -> Result<(), JsValue> {
        widget()?.handle_link(&fragment);
        Ok(())
    }

    #[wasm_bindgen]
    pub fn close() -> Result<(), JsValue> {
        widget()?.dispatch(Event::Close);
        Ok(())
    }

    /// Shows the UI in `code`, whose table the loader fetched (`None` for English).
    #[wasm_bindgen(js_name = useLocale)]
    pub fn use_locale(code: String, table_json: Option<String>) -> Result<(), JsValue> {
        let locale = match table_json {
            Some(json) => Locale::from_table(&code, &json)
                .ok_or_else(|| js_sys::Error::new(&format!("locale {code}: not a locale table")))?,
            None => Locale::english(),
        };
        widget()?.locale.set(locale);
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
                .map_err(|p| widget.js_error(p))
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
                .map_err(|p| widget.js_error(p))
        }))
    }

    /// `user.getUserData()`: fetches the user again and stores it.
    #[wasm_bindgen(js_name = reloadUser)]
    pub fn reload_user() -> Result<js_sys::Promise, JsValue> {
        let widget = widget()?;
        Ok(future_to_promise(async move {
            let token = widget.jwt(false).await.map_err(|p| widget.js_error(p))?;
            let user = widget
                .call(crate::core::api::Request::get_user(&token))
                .await
                .map_err(|p| widget.js_error(p))?;
            widget.set_user(&user).map_err(|p| widget.js_error(p))?;
            Ok(JsValue::UNDEFINED)
        }))
    }

    /// `store.user = null` and `user.clearSession()`: forget the session here, fire `logout`.
    #[wasm_bindgen(js_name = endSession)]
    pub fn end_session() -> Result<(), JsValue> {
        widget()?.end_session();
        Ok(())
    }

    /// A call of gotrue-js's client: `options_json` is `{apiURL, audience, setCookie}`,
    /// `args_json` the method's arguments. Resolves to JSON text; a refusal rejects with
    /// gotrue-js's error (`message` from the server, `status`, `json`).
    #[wasm_bindgen]
    pub fn client(
        options_json: String,
        method: String,
        args_json: String,
    ) -> Result<js_sys::Promise, JsValue> {
        let widget = widget()?;
        Ok(future_to_promise(async move {
            crate::widget::client::run(widget, options_json, method, args_json)
                .await
                .map(|json| JsValue::from_str(&json))
        }))
    }

    /// `user.admin.<method>(…)` with its arguments as JSON (`core::admin_call` reads them), run
    /// by the management chunk (`widget::admin_calls`): resolves to the result as JSON text (the
    /// loader parses it); a refusal rejects with the translated problem.
    #[wasm_bindgen]
    pub fn admin(method: String, args: js_sys::Array) -> Result<js_sys::Promise, JsValue> {
        let widget = widget()?;
        Ok(future_to_promise(async move {
            crate::widget::admin_calls::run(widget, method, args)
                .await
                .map(|json| JsValue::from_str(&json))
        }))
    }
}
