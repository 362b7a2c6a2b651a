//! The account page: the logged-in user's name, email and password, and their roles
//! (read-only: only an administrator assigns roles). Each section saves on its own and keeps
//! its input when the save fails.

use super::fields::{
    on_submit, save, text, PasswordField, SaveButton, SectionStatus, Status, TextField,
};
use super::security_slot::{AccountPart, AccountSecuritySlot};
use crate::core::api::UserChange;
use crate::core::backend::Backend;
use crate::core::flow::{Event, Page};
use crate::core::i18n::{fill, Text};
use crate::widget::Widget;
use leptos::prelude::*;

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
            name_status,
            widget.change(UserChange::Name(name.get_untracked())),
            saved,
        );
    });
    let save_email = on_submit(move || {
        let address = new_email.get_untracked();
        // supabase/auth's secure email change (its default) mails both addresses a link.
        let both = widget.session_backend() == Backend::Supabase;
        let sent = if both {
            Text::EmailChangeSentBoth
        } else {
            Text::EmailChangeSent
        };
        let saved = move || fill(widget.text(sent), "email", &address);
        save(
            email_status,
            widget.change_guarded(UserChange::Email(new_email.get_untracked())),
            saved,
        );
    });
    let save_password = on_submit(move || {
        let saved = move || {
            password.set(String::new());
            widget.text(Text::PasswordChanged).to_string()
        };
        save(
            password_status,
            widget.change_guarded(UserChange::Password(password.get_untracked())),
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
        <h2 id="gw-title">{text(widget, Text::TitleAccount)}</h2>
        <form class="gw-form gw-section" on:submit=save_name>
            <TextField widget id="gw-account-name" label=Text::SectionName value=name autocomplete="name" autofocus=true />
            <SectionStatus widget status=name_status />
            <SaveButton widget status=name_status />
        </form>
        <form class="gw-form gw-section" on:submit=save_email>
            <p class="gw-current">
                <span class="gw-current-label">{text(widget, Text::SectionEmail)}</span>
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
        // Passkeys and the authenticator app, from the `account_security` chunk.
        <AccountSecuritySlot widget part=AccountPart::Own />
        <section class="gw-section" aria-labelledby="gw-roles-title">
            <h3 id="gw-roles-title">{text(widget, Text::SectionRoles)}</h3>
            <p class="gw-roles">
                {move || {
                    let roles = roles();
                    if roles.is_empty() { widget.text(Text::NoRoles).to_string() } else { roles }
                }}
            </p>
        </section>
        <button type="button" class="gw-link" on:click=move |_| widget.dispatch(Event::Navigate(Page::LoggedIn))>
            {text(widget, Text::Back)}
        </button>
    }
}
