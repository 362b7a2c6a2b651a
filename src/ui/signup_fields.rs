//! The signup form's optional parts: the page's own fields (`init({signupFields})`) and the
//! consent checkbox (`init({consent})`). Their values live in `signup_metadata` and go to the
//! server as `user_metadata` (consent as the time it was given). One input view serves text
//! and checkboxes, and labels are type-erased signals: each distinct view costs wasm bytes.

use super::fields::text;
use crate::core::i18n::Text;
use crate::core::json::Value;
use crate::core::options::{FieldKind, LocalText};
use crate::widget::Widget;
use leptos::prelude::*;

/// The member of `signup_metadata` the consent checkbox sets (replaced by `consent_at`).
pub const CONSENT_FIELD: &str = "consent";

fn local(widget: Widget, label: LocalText) -> Signal<String> {
    Signal::derive(move || label.get(widget.locale.get().code()).to_string())
}

#[component]
pub fn ExtraSignupFields(widget: Widget) -> impl IntoView {
    let fields = widget.options.with_value(|o| o.signup_fields.clone());
    fields
        .into_iter()
        .map(|field| {
            let label = local(widget, field.label);
            view! { <ExtraField widget name=field.name label kind=field.kind required=field.required /> }
        })
        .collect_view()
}

#[component]
fn ExtraField(
    widget: Widget,
    name: String,
    label: Signal<String>,
    kind: FieldKind,
    required: bool,
) -> impl IntoView {
    let id = format!("gw-field-{name}");
    let key = name.clone();
    let current = move || {
        widget
            .signup_metadata
            .with(|m| m.get(&key).cloned().unwrap_or(Value::Null))
    };
    let key = name.clone();
    let set = move |value: Value| widget.signup_metadata.update(|m| m.set(&key, value));
    let checkbox = kind == FieldKind::Checkbox;
    if let Some(draft) = widget.take_draft(&id) {
        set(if checkbox {
            Value::Bool(draft.checked)
        } else {
            Value::string(draft.value)
        });
    }
    if let FieldKind::Select(choices) = kind {
        let options = choices
            .into_iter()
            .map(|(value, label)| view! { <option value=value>{local(widget, label)}</option> })
            .collect_view();
        return view! {
            <div class="gw-field" part="field">
                <label for=id.clone()>{label}</label>
                <select id=id name=name required=required
                    prop:value=move || current().as_str().unwrap_or_default().to_string()
                    on:change=move |ev| set(Value::string(event_target_value(&ev)))>
                    <option value="">{text(widget, Text::Choose)}</option>
                    {options}
                </select>
            </div>
        }
        .into_any();
    }
    let current_text = current.clone();
    view! {
        <div class="gw-field" class:gw-check=checkbox part="field">
            <label for=id.clone()>{label}</label>
            <input id=id name=name type=if checkbox { "checkbox" } else { "text" } required=required
                prop:value=move || current_text().as_str().unwrap_or_default().to_string()
                prop:checked=move || current() == Value::Bool(true)
                on:input=move |ev| set(if checkbox {
                    Value::Bool(event_target_checked(&ev))
                } else {
                    Value::string(event_target_value(&ev))
                }) />
        </div>
    }
    .into_any()
}

/// A required checkbox with the site's label (or ours) and links to its documents.
#[component]
pub fn ConsentField(widget: Widget) -> impl IntoView {
    let consent = widget.options.with_value(|o| o.consent.clone())?;
    let label = match consent.label {
        Some(label) => local(widget, label),
        None => Signal::derive(move || widget.text(Text::ConsentDefault).to_string()),
    };
    let link = |url: Option<String>, name: Text| {
        url.map(|url| view! { <a href=url target="_blank" rel="noopener">{text(widget, name)}</a> })
    };
    Some(view! {
        <ExtraField widget name=CONSENT_FIELD.to_string() label kind=FieldKind::Checkbox required=true />
        <p class="gw-consent-links">
            {link(consent.terms_url, Text::Terms)} " " {link(consent.privacy_url, Text::Privacy)}
        </p>
    })
}
