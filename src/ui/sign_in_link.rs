//! Passwordless sign-in (supabase/auth; `widget/passwordless.rs`): ask for a mail with a
//! sign-in link and a 6-digit code, then take the code (or wait for the link to be followed).

use super::fields::{on_submit, text, ProblemMessage, SubmitButton, TextField};
use crate::core::flow::{Event, Page};
use crate::core::i18n::{fill, Text};
use crate::widget::Widget;
use leptos::prelude::*;

#[component]
pub fn SignInLinkPage(widget: Widget) -> impl IntoView {
    let email = RwSignal::new(widget.sign_in_email.get_untracked());
    let submit = on_submit(move || widget.send_sign_in_link(email.get_untracked()));
    view! {
        <h2 id="gw-title">{text(widget, Text::TitleSignInLink)}</h2>
        <form class="gw-form" on:submit=submit>
            <TextField widget id="gw-email" label=Text::FieldEmail value=email input_type="email" autocomplete="username" autofocus=true />
            <ProblemMessage widget />
            <SubmitButton widget idle=Text::SendSignInLink busy=Text::SendingSignInLink />
        </form>
        <BackToLogin widget />
    }
}

#[component]
pub fn SignInCodePage(widget: Widget) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let submit = on_submit(move || widget.log_in_with_code(code.get_untracked()));
    let sent = move || {
        fill(
            widget.text(Text::SignInLinkSent),
            "email",
            &widget.sign_in_email.get(),
        )
    };
    view! {
        <h2 id="gw-title">{text(widget, Text::TitleSignInLink)}</h2>
        <p role="status">{sent}</p>
        <form class="gw-form" on:submit=submit>
            <TextField widget id="gw-code" label=Text::FieldCode value=code autocomplete="one-time-code" autofocus=true />
            <ProblemMessage widget />
            <SubmitButton widget idle=Text::LogIn busy=Text::LoggingIn />
        </form>
        <button type="button" class="gw-link" on:click=move |_| widget.dispatch(Event::Navigate(Page::SignInLink))>
            {text(widget, Text::SendNewCode)}
        </button>
        <BackToLogin widget />
    }
}

#[component]
fn BackToLogin(widget: Widget) -> impl IntoView {
    view! {
        <button type="button" class="gw-link" on:click=move |_| widget.dispatch(Event::Navigate(Page::Login))>
            {text(widget, Text::NeverMind)}
        </button>
    }
}
