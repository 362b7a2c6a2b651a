//! One view per modal page. Each keeps its own input, so a failed request loses nothing.
//!
//! A button's `data-go` says where it leads, for the loader's dialog before the wasm arrives
//! (`src/js/dialog.js`): a page's legacy name, `close`, or `abandon` (leave the link unused).

use super::fields::{
    on_submit, text, PasswordField, ProblemMessage, ProviderButtons, SettingsProblem, SubmitButton,
    TextField,
};
use super::security_slot::PasskeySlot;
use crate::core::flow::{Event, Notice, Page};
use crate::core::i18n::Text;
use crate::widget::Widget;
use leptos::prelude::*;

/// The Sign up / Log in tabs over the two forms.
#[component]
fn Tabs(widget: Widget, current: Page) -> impl IntoView {
    let tab = move |page: Page, label: Text| {
        let is_current = page == current;
        view! {
            <button
                type="button"
                class="gw-tab"
                aria-current=if is_current { Some("page") } else { None }
                data-go=page.legacy_name()
                on:click=move |_| widget.dispatch(Event::Navigate(page))
            >
                {move || widget.text(label)}
            </button>
        }
    };
    let signup_allowed = move || {
        widget
            .settings
            .with(|s| !s.as_ref().is_some_and(|s| s.disable_signup))
    };
    view! {
        <nav class="gw-tabs">
            <Show when=signup_allowed>{tab(Page::Signup, Text::TabSignup)}</Show>
            {tab(Page::Login, Text::TabLogin)}
        </nav>
    }
}

#[component]
pub fn LoginPage(widget: Widget) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submit = on_submit(move || widget.log_in(email.get_untracked(), password.get_untracked()));
    view! {
        <h2 id="gw-title" class="gw-visually-hidden">{text(widget, Text::TabLogin)}</h2>
        <Tabs widget current=Page::Login />
        <SettingsProblem widget />
        <ProviderButtons widget />
        <form class="gw-form" on:submit=submit>
            // `webauthn`: where passkeys are offered, the browser lists them in its autofill.
            <TextField widget id="gw-email" label=Text::FieldEmail value=email input_type="email" autocomplete="username webauthn" autofocus=true />
            <PasswordField widget id="gw-password" label=Text::FieldPassword value=password autocomplete="current-password" />
            <ProblemMessage widget />
            <SubmitButton widget idle=Text::LogIn busy=Text::LoggingIn />
        </form>
        // Never in the markup rendered ahead of time (the settings are not known there).
        <PasskeySlot widget />
        <button type="button" class="gw-link" data-go="amnesia" on:click=move |_| widget.dispatch(Event::Navigate(Page::ForgotPassword))>
            {text(widget, Text::ForgotPassword)}
        </button>
        // Passwordless sign-in where the server has it; never in the markup rendered ahead of
        // time (the settings are not known there).
        <Show when=move || widget.offers_sign_in_link()>
            <button type="button" class="gw-link" on:click=move |_| {
                widget.sign_in_email.set(email.get_untracked());
                widget.dispatch(Event::Navigate(Page::SignInLink));
            }>
                {text(widget, Text::EmailSignInLink)}
            </button>
        </Show>
    }
}

#[component]
pub fn SignupPage(widget: Widget) -> impl IntoView {
    let prefilled = widget
        .signup_metadata
        .with_untracked(|m| m.str_of("full_name").map(String::from));
    let name = RwSignal::new(prefilled.unwrap_or_default());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submit = on_submit(move || {
        widget.sign_up(
            name.get_untracked(),
            email.get_untracked(),
            password.get_untracked(),
        )
    });
    view! {
        <h2 id="gw-title" class="gw-visually-hidden">{text(widget, Text::TabSignup)}</h2>
        <Tabs widget current=Page::Signup />
        <SettingsProblem widget />
        <ProviderButtons widget />
        <form class="gw-form" on:submit=submit>
            <TextField widget id="gw-name" label=Text::FieldName value=name autocomplete="name" autofocus=true
                placeholder=widget.options.with_value(|o| o.name_placeholder.clone()).unwrap_or_default() />
            <TextField widget id="gw-email" label=Text::FieldEmail value=email input_type="email" autocomplete="username" />
            <PasswordField widget id="gw-password" label=Text::FieldPassword value=password autocomplete="new-password" />
            <super::signup_fields::ExtraSignupFields widget />
            <super::signup_fields::ConsentField widget />
            <ProblemMessage widget />
            <SubmitButton widget idle=Text::SignUp busy=Text::SigningUp />
        </form>
    }
}

#[component]
pub fn ForgotPasswordPage(widget: Widget) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let submit = on_submit(move || widget.request_recovery(email.get_untracked()));
    view! {
        <h2 id="gw-title">{text(widget, Text::TitleRecoverPassword)}</h2>
        <form class="gw-form" on:submit=submit>
            <TextField widget id="gw-email" label=Text::FieldEmail value=email input_type="email" autocomplete="email" autofocus=true />
            <ProblemMessage widget />
            <SubmitButton widget idle=Text::SendRecoveryEmail busy=Text::SendingRecoveryEmail />
        </form>
        <button type="button" class="gw-link" data-go="login" on:click=move |_| widget.dispatch(Event::Navigate(Page::Login))>
            {text(widget, Text::NeverMind)}
        </button>
    }
}

#[component]
pub fn SetNewPasswordPage(widget: Widget) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let submit = on_submit(move || widget.set_new_password(password.get_untracked()));
    view! {
        <h2 id="gw-title">{text(widget, Text::TitleRecoverPassword)}</h2>
        <form class="gw-form" on:submit=submit>
            <input type="email" class="gw-visually-hidden" autocomplete="username" tabindex="-1" aria-hidden="true"
                prop:value=move || widget.session.with(|s| s.as_ref().map(|s| s.email().to_string()).unwrap_or_default()) readonly=true />
            <PasswordField widget id="gw-new-password" label=Text::FieldNewPassword value=password autocomplete="new-password" autofocus=true />
            <ProblemMessage widget />
            <SubmitButton widget idle=Text::UpdatePassword busy=Text::UpdatingPassword />
        </form>
        <button type="button" class="gw-link" data-go="abandon" on:click=move |_| widget.abandon_recovery()>
            {text(widget, Text::NeverMind)}
        </button>
    }
}

#[component]
pub fn AcceptInvitePage(widget: Widget) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let submit = on_submit(move || widget.accept_invite(password.get_untracked()));
    view! {
        <h2 id="gw-title">{text(widget, Text::TitleCompleteSignup)}</h2>
        <ProviderButtons widget />
        <form class="gw-form" on:submit=submit>
            <PasswordField widget id="gw-password" label=Text::FieldPassword value=password autocomplete="new-password" autofocus=true />
            <ProblemMessage widget />
            <SubmitButton widget idle=Text::SignUp busy=Text::SigningUp />
        </form>
    }
}

#[component]
pub fn LoggedInPage(widget: Widget) -> impl IntoView {
    let name = move || {
        widget.session.with(|s| {
            s.as_ref()
                .map(|s| s.display_name().to_string())
                .unwrap_or_default()
        })
    };
    let submit = on_submit(move || {
        widget.dispatch(Event::Submit);
        leptos::task::spawn_local(widget.log_out());
    });
    view! {
        <h2 id="gw-title">{text(widget, Text::TitleLoggedIn)}</h2>
        <form class="gw-form" on:submit=submit>
            <p class="gw-user">
                {text(widget, Text::LoggedInAs)} " " <strong class="gw-user-name">{name}</strong>
            </p>
            <ProblemMessage widget />
            <SubmitButton widget idle=Text::LogOut busy=Text::LoggingOut />
        </form>
        <button type="button" class="gw-secondary" on:click=move |_| widget.dispatch(Event::Navigate(Page::Account))>
            {text(widget, Text::AccountSettings)}
        </button>
        <Show when=move || widget.is_admin()>
            <button type="button" class="gw-secondary" on:click=move |_| widget.dispatch(Event::Navigate(Page::Users))>
                {text(widget, Text::ManageUsers)}
            </button>
        </Show>
    }
}

/// The localhost development prompt (COMPAT.md item 18).
#[component]
pub fn SiteUrlPage(widget: Widget) -> impl IntoView {
    let site_url = RwSignal::new(String::new());
    let submit = on_submit(move || widget.set_site_url(site_url.get_untracked()));
    view! {
        <h2 id="gw-title">{text(widget, Text::TitleSiteUrl)}</h2>
        <p class="gw-explanation">{text(widget, Text::SiteUrlExplanation)}</p>
        <form class="gw-form" on:submit=submit>
            <TextField widget id="gw-site-url" label=Text::FieldSiteUrl value=site_url input_type="url" autocomplete="url" autofocus=true />
            <ProblemMessage widget />
            <SubmitButton widget idle=Text::SetSiteUrl busy=Text::SetSiteUrl />
        </form>
    }
}

/// The site's logo and name above every page (`init({logo, siteName})`). With a name beside
/// it the logo is decorative (empty alt).
#[component]
pub fn Brand(widget: Widget) -> impl IntoView {
    let (logo, name) = widget
        .options
        .with_value(|o| (o.logo.clone(), o.site_name.clone()));
    (logo.is_some() || name.is_some()).then(|| {
        view! {
            <div class="gw-brand" part="brand">
                {logo.map(|src| view! { <img class="gw-logo" part="logo" src=src alt="" /> })}
                {name.map(|name| view! { <span class="gw-site-name" part="site-name">{name}</span> })}
            </div>
        }
    })
}

/// On localhost, under every page: which site the widget talks to, and a way to change it.
#[component]
pub fn DevSiteUrl(widget: Widget) -> impl IntoView {
    move || {
        let site_url = widget.dev_site_url.get()?;
        Some(view! {
            <p class="gw-dev-site" part="dev-site">
                {text(widget, Text::DevSiteUrl)} " " <span class="gw-dev-site-url">{site_url}</span> " "
                <button type="button" class="gw-link" on:click=move |_| widget.clear_site_url()>
                    {text(widget, Text::ClearSiteUrl)}
                </button>
            </p>
        })
    }
}

#[component]
pub fn NoticePage(widget: Widget, notice: Notice) -> impl IntoView {
    let (message, problem) = match notice {
        Notice::ConfirmationSent => (Text::ConfirmationSent, None),
        Notice::SignupConfirmed => (Text::SignupConfirmed, None),
        Notice::RecoverySent => (Text::RecoverySent, None),
        Notice::EmailChanged => (Text::EmailChanged, None),
        Notice::EmailChangeHalfway => (Text::EmailChangeHalfway, None),
        Notice::SignupDisabled => (Text::SignupDisabled, None),
        Notice::VerificationFailed(problem) => {
            (Text::VerificationFailed, Some(Text::for_problem(problem)))
        }
    };
    let detail = move || widget.link_detail.get().filter(|_| problem.is_some());
    let next_page = move || {
        if widget.session.with(Option::is_some) {
            Page::LoggedIn
        } else {
            Page::Login
        }
    };
    view! {
        <h2 id="gw-title" class="gw-visually-hidden">{text(widget, Text::TitleMessage)}</h2>
        <div class="gw-notice" role="status">
            <p class="gw-notice-text">{move || widget.text(message)}</p>
            {problem.map(|text| view! { <p class="gw-notice-problem">{move || widget.text(text)}</p> })}
            {move || detail().map(|d| view! { <p class="gw-notice-detail">{d}</p> })}
        </div>
        <button type="button" class="gw-primary" autofocus=true on:click=move |_| widget.dispatch(Event::Navigate(next_page()))>
            {move || widget.text(if next_page() == Page::LoggedIn { Text::Close } else { Text::BackToLogin })}
        </button>
    }
}
