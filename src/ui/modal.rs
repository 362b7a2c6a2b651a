//! The native `<dialog>` and its panel. The loader (`src/js/dialog.js`) opens and closes it
//! (`showModal()`: top layer, inert page, Escape closes), moves focus in and back to the opener,
//! and keeps Tab inside: it does the same for the dialog it shows before the wasm arrives, so
//! there is one way. This renders what is inside.

use super::fields::text;
use super::pages::*;
use crate::core::flow::{Event, Page};
use crate::core::i18n::Text;
use crate::widget::Widget;
use leptos::prelude::*;

#[component]
pub fn Modal(widget: Widget) -> impl IntoView {
    let page = Memo::new(move |_| widget.modal.with(|m| m.page));

    let content = move || match page.get() {
        Page::Login => view! { <LoginPage widget /> }.into_any(),
        Page::Signup => view! { <SignupPage widget /> }.into_any(),
        Page::ForgotPassword => view! { <ForgotPasswordPage widget /> }.into_any(),
        Page::SetNewPassword => view! { <SetNewPasswordPage widget /> }.into_any(),
        Page::AcceptInvite => view! { <AcceptInvitePage widget /> }.into_any(),
        Page::LoggedIn => view! { <LoggedInPage widget /> }.into_any(),
        Page::Notice(notice) => view! { <NoticePage widget notice /> }.into_any(),
        Page::SiteUrl => view! { <SiteUrlPage widget /> }.into_any(),
        page @ (Page::Account
        | Page::Users
        | Page::UserDetail
        | Page::SignInLink
        | Page::SignInCode
        | Page::SecondStep) => view! { <super::manage::ChunkPage widget page /> }.into_any(),
    };

    view! {
        <dialog
            lang=move || widget.locale.get().lang()
            dir=move || if widget.locale.get().is_rtl() { "rtl" } else { "ltr" }
            class="gw-dialog"
            part="dialog"
            aria-labelledby="gw-title"
        >
            <div class="gw-panel" part="panel">
                <Brand widget />
                <Show when=move || widget.verifying.get()>
                    <p class="gw-progress" role="status">{text(widget, Text::VerifyingLink)}</p>
                </Show>
                {content}
                <DevSiteUrl widget />
                <button type="button" class="gw-close" part="close" aria-label=text(widget, Text::Close) data-go="close"
                    on:click=move |_| widget.dispatch(Event::Close)>
                    "×"
                </button>
            </div>
        </dialog>
    }
}
