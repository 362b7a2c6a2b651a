//! The `security` chunk's pages (issue 26): a login's second step, the authenticator app's
//! code. Loaded as the management chunk's pages are (`ui::manage::ChunkPage`).

use super::fields::{on_submit, text, ProblemMessage, SubmitButton, TextField};
use crate::core::i18n::Text;
use crate::widget::chunk::ChunkFailure;
use crate::widget::Widget;
use leptos::prelude::*;
use leptos::wasm_split::wasm_split;

/// The split point: what only this reaches goes into the `security` chunk.
#[wasm_split(security, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn security_views() -> Result<super::manage::ChunkViews, ChunkFailure> {
    Ok(|widget, _| view! { <SecondStepPage widget /> }.into_any())
}

/// The code of the person's authenticator app, before a login counts (`widget::second_step`).
#[component]
fn SecondStepPage(widget: Widget) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let submit = on_submit(move || widget.verify_app_code(code.get_untracked()));
    view! {
        <h2 id="gw-title">{text(widget, Text::TitleSecondStep)}</h2>
        <p class="gw-explanation">{text(widget, Text::SecondStepExplanation)}</p>
        <form class="gw-form" on:submit=submit>
            <TextField widget id="gw-app-code" label=Text::FieldAppCode value=code autocomplete="one-time-code" autofocus=true />
            <ProblemMessage widget />
            <SubmitButton widget idle=Text::VerifyCode busy=Text::VerifyingCode />
        </form>
        <button type="button" class="gw-link" on:click=move |_| widget.abandon_second_step()>
            {text(widget, Text::NeverMind)}
        </button>
    }
}
