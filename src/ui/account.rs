//! The account page: the logged-in user's name, email and password, and their roles
//! (read-only: only an administrator assigns roles). Each section saves on its own and keeps
//! its input when the save fails.

use super::fields::{PasswordField, TextField};
use crate::core::api::{Problem, UserChange};
use crate::core::flow::{Event, Page};
use crate::core::i18n::{fill, Text};
use crate::widget::Widget;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::SubmitEvent;

/// A section's state after its last save.
#[derive(Clone, Debug, PartialEq)]
enum Status {
    Idle,
    Busy,
    Saved(String),
    Failed(Problem),
}

/// Sends `change`; on success shows `saved()` (and runs it after the user is stored).
fn save(
    widget: Widget,
    status: RwSignal<Status>,
    change: UserChange,
    saved: impl FnOnce() -> String + 'static,
) {
    status.set(Status::Busy);
    spawn_local(async move {
        match widget.change(change).await {
            Ok(()) => status.set(Status::Saved(saved())),
            Err(problem) => status.set(Status::Failed(problem)),
        }
    });
}

/// The section's announcement: success in a status region, failure in an alert.
#[component]
fn SectionStatus(widget: Widget, status: RwSignal<Status>) -> impl IntoView {
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

#[component]
fn SaveButton(widget: Widget, status: RwSignal<Status>) -> impl IntoView {
    let busy = move || status.get() == Status::Busy;
    view! {
        <button type="submit" class="gw-secondary" part="button" disabled=busy aria-busy=move || busy().to_string()>
            {move || widget.text(if busy() { Text::Saving } else { Text::Save })}
        </button>
    }
}

fn on_submit(action: impl Fn() + 'static) -> impl Fn(SubmitEvent) {
    move |event: SubmitEvent| {
        event.prevent_default();
        action();
    }
}

#[component]
pub fn AccountPage(widget: Widget) -> impl IntoView {
    let session = move |read: fn(&crate::core::session::Session) -> String| {
        widget
            .session
            .with(|s| s.as_ref().map(read).unwrap_or_default())
    };
    let name = RwSignal::new(session(|s| s.full_name().unwrap_or_default().to_string()));
    let new_email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let (name_status, email_status, password_status) = (
        RwSignal::new(Status::Idle),
        RwSignal::new(Status::Idle),
        RwSignal::new(Status::Idle),
    );

    let save_name = on_submit(move || {
        let saved = move || widget.text(Text::NameSaved).to_string();
        save(
            widget,
            name_status,
            UserChange::Name(name.get_untracked()),
            saved,
        );
    });
    let save_email = on_submit(move || {
        let address = new_email.get_untracked();
        let saved = move || fill(widget.text(Text::EmailChangeSent), "email", &address);
        save(
            widget,
            email_status,
            UserChange::Email(new_email.get_untracked()),
            saved,
        );
    });
    let save_password = on_submit(move || {
        let saved = move || {
            password.set(String::new());
            widget.text(Text::PasswordChanged).to_string()
        };
        save(
            widget,
            password_status,
            UserChange::Password(password.get_untracked()),
            saved,
        );
    });

    let email = move || session(|s| s.email().to_string());
    let pending = move || {
        widget
            .session
            .with(|s| s.as_ref().and_then(|s| s.new_email().map(String::from)))
    };
    let roles = move || {
        widget
            .session
            .with(|s| s.as_ref().map(|s| s.roles().join(", ")).unwrap_or_default())
    };

    view! {
        <h2 id="gw-title">{move || widget.text(Text::TitleAccount)}</h2>
        <form class="gw-form gw-section" on:submit=save_name>
            <TextField widget id="gw-account-name" label=Text::SectionName value=name autocomplete="name" autofocus=true />
            <SectionStatus widget status=name_status />
            <SaveButton widget status=name_status />
        </form>
        <form class="gw-form gw-section" on:submit=save_email>
            <p class="gw-current">
                <span class="gw-current-label">{move || widget.text(Text::SectionEmail)}</span>
                " " <span class="gw-current-email">{email}</span>
            </p>
            {move || pending().map(|address| view! {
                <p class="gw-pending">{fill(widget.text(Text::EmailChangePending), "email", &address)}</p>
            })}
            <TextField widget id="gw-account-email" label=Text::FieldNewEmail value=new_email input_type="email" autocomplete="email" />
            <SectionStatus widget status=email_status />
            <SaveButton widget status=email_status />
        </form>
        <form class="gw-form gw-section" on:submit=save_password>
            <input type="email" class="gw-visually-hidden" autocomplete="username" tabindex="-1" aria-hidden="true" prop:value=email readonly=true />
            <PasswordField widget id="gw-account-password" label=Text::FieldNewPassword value=password autocomplete="new-password" />
            <SectionStatus widget status=password_status />
            <SaveButton widget status=password_status />
        </form>
        <section class="gw-section" aria-labelledby="gw-roles-title">
            <h3 id="gw-roles-title">{move || widget.text(Text::SectionRoles)}</h3>
            <p class="gw-roles">
                {move || {
                    let roles = roles();
                    if roles.is_empty() { widget.text(Text::NoRoles).to_string() } else { roles }
                }}
            </p>
        </section>
        <button type="button" class="gw-link" on:click=move |_| widget.dispatch(Event::Navigate(Page::LoggedIn))>
            {move || widget.text(Text::Back)}
        </button>
    }
}
