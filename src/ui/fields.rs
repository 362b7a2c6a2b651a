//! Form parts shared by the pages: labelled inputs, the password field with its show toggle,
//! the error live region, the submit button with its busy text, provider buttons.

use crate::core::i18n::{fill, Text};
use crate::core::problem::Problem;
use crate::widget::Widget;
use leptos::prelude::*;

/// A translated string that follows `setLocale`. One function, so every use shares one
/// closure type: Leptos then generates its render code once instead of once per string.
pub fn text(widget: Widget, key: Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || widget.text(key)
}

/// A labelled text input bound to `value`, which starts as the loader's dialog left it.
#[component]
pub fn TextField(
    widget: Widget,
    id: &'static str,
    label: Text,
    value: RwSignal<String>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(default = false)] autofocus: bool,
    #[prop(optional)] placeholder: Option<String>,
    #[prop(default = true)] required: bool,
) -> impl IntoView {
    if let Some(draft) = widget.take_draft(id) {
        value.set(draft.value);
    }
    view! {
        <div class="gw-field">
            <label for=id>{move || widget.text(label)}</label>
            <input
                id=id
                name=id
                placeholder=placeholder
                type=input_type
                autocomplete=autocomplete
                required=required
                autofocus=autofocus
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </div>
    }
}

/// A password input with a button that shows or hides what was typed. The button carries both
/// labels; `aria-pressed` picks the one shown (style/forms.css), as in the loader's dialog.
#[component]
pub fn PasswordField(
    widget: Widget,
    id: &'static str,
    label: Text,
    value: RwSignal<String>,
    /// `current-password` on login, `new-password` elsewhere (password managers read it).
    autocomplete: &'static str,
    #[prop(default = false)] autofocus: bool,
) -> impl IntoView {
    let draft = widget.take_draft(id).unwrap_or_default();
    value.set(draft.value);
    let shown = RwSignal::new(draft.shown);
    view! {
        <div class="gw-field">
            <label for=id>{move || widget.text(label)}</label>
            <div class="gw-password">
                <input
                    id=id
                    name=id
                    type=move || if shown.get() { "text" } else { "password" }
                    autocomplete=autocomplete
                    required=true
                    autofocus=autofocus
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
                <button
                    type="button"
                    class="gw-toggle"
                    aria-controls=id
                    aria-pressed=move || if shown.get() { "true" } else { "false" }
                    on:click=move |_| shown.update(|s| *s = !*s)
                >
                    <span class="gw-show">{text(widget, Text::ShowPassword)}</span>
                    <span class="gw-hide">{text(widget, Text::HidePassword)}</span>
                </button>
            </div>
        </div>
    }
}

/// The live region where problems are announced; always present so screen readers hear changes.
/// Without a problem it holds nothing at all (not even a blank, which rendering ahead of time
/// would write), so `:empty` hides it the same before and after the wasm.
#[component]
pub fn ProblemMessage(widget: Widget) -> impl IntoView {
    let message = move || {
        let problem = widget.modal.with(|m| m.problem);
        problem.map(|p| widget.text(Text::for_problem(p)))
    };
    view! { <p class="gw-error" role="alert" part="error">{message}</p> }
}

/// The settings-load failure, in the words Decap CMS matches.
#[component]
pub fn SettingsProblem(widget: Widget) -> impl IntoView {
    view! {
        <Show when=move || widget.settings_failed.get()>
            <p class="gw-error" role="alert">
                {move || fill(widget.text(Text::SettingsFailed), "url", &widget.api_url.get())}
            </p>
        </Show>
    }
}

/// The submit button; its text changes while the request is in flight. It waits, too, while
/// the link the page was opened with is checked (the recovery page shows before that ends).
/// It carries both texts; `aria-busy` picks the one shown (style/forms.css), so the loader's
/// dialog shows a submit as busy by setting the attribute alone.
#[component]
pub fn SubmitButton(widget: Widget, idle: Text, busy: Text) -> impl IntoView {
    let is_busy = move || widget.modal.with(|m| m.busy);
    let disabled = move || is_busy() || widget.verifying.get();
    view! {
        <button type="submit" class="gw-primary" part="button" aria-busy=move || is_busy().to_string() disabled=disabled>
            <span class="gw-idle">{text(widget, idle)}</span>
            <span class="gw-busy">{text(widget, busy)}</span>
        </button>
    }
}

/// "Continue with …" for each provider the server enables.
#[component]
pub fn ProviderButtons(widget: Widget) -> impl IntoView {
    let providers = move || {
        widget
            .settings
            .with(|s| s.as_ref().map(|s| s.providers.clone()).unwrap_or_default())
    };
    view! {
        <Show when=move || !providers().is_empty()>
            <div class="gw-providers">
                {move || {
                    providers()
                        .into_iter()
                        .map(|(key, label)| {
                            let text = fill(widget.text(Text::ContinueWith), "provider", &label);
                            view! {
                                <button type="button" class=format!("gw-provider gw-provider-{key}") on:click=move |_| widget.log_in_with(&key)>
                                    {text}
                                </button>
                            }
                        })
                        .collect_view()
                }}
                <p class="gw-divider">{text(widget, Text::OrUseEmail)}</p>
            </div>
        </Show>
    }
}

/// A form section's state after its last save.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Idle,
    Busy,
    Saved(String),
    Failed(Problem),
}

/// Runs `work` with `status` busy; on success shows `saved()`, on failure the problem.
pub fn save<F>(status: RwSignal<Status>, work: F, saved: impl FnOnce() -> String + 'static)
where
    F: std::future::Future<Output = Result<(), Problem>> + 'static,
{
    save_boxed(status, Box::pin(work), Box::new(saved));
}

/// `save` without generics: one copy of the task for every section.
fn save_boxed(
    status: RwSignal<Status>,
    work: std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), Problem>>>>,
    saved: Box<dyn FnOnce() -> String>,
) {
    status.set(Status::Busy);
    leptos::task::spawn_local(async move {
        match work.await {
            Ok(()) => status.set(Status::Saved(saved())),
            Err(problem) => status.set(Status::Failed(problem)),
        }
    });
}

/// A section's announcement: success in a status region, failure in an alert.
#[component]
pub fn SectionStatus(widget: Widget, status: RwSignal<Status>) -> impl IntoView {
    let saved = move || match status.get() {
        Status::Saved(message) => message,
        _ => String::new(),
    };
    let failed = move || match status.get() {
        Status::Failed(problem) => widget.text(Text::for_problem(problem)).to_string(),
        _ => String::new(),
    };
    view! {
        <p class="gw-success" role="status">{saved}</p>
        <p class="gw-error" role="alert">{failed}</p>
    }
}

/// A section's submit button, busy while its save runs.
#[component]
pub fn SaveButton(
    widget: Widget,
    status: RwSignal<Status>,
    #[prop(default = Text::Save)] label: Text,
) -> impl IntoView {
    let busy = move || status.get() == Status::Busy;
    view! {
        <button type="submit" class="gw-secondary" part="button" disabled=busy aria-busy=move || busy().to_string()>
            {move || widget.text(if busy() { Text::Saving } else { label })}
        </button>
    }
}

/// A form's submit handler, boxed so every form shares one handler type (Leptos generates
/// the listener code once instead of once per form).
pub type SubmitHandler = Box<dyn Fn(web_sys::SubmitEvent)>;

/// A form's submit handler: no page navigation, then `action`.
pub fn on_submit(action: impl Fn() + 'static) -> SubmitHandler {
    Box::new(move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        action();
    })
}
