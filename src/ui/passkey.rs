//! "Sign in with a passkey" on the login page, where the server and the browser have passkeys:
//! the button, and the email field's autofill offer. Part of the `security` chunk
//! (`ui::security_slot`).

use super::fields::text;
use crate::core::i18n::Text;
use crate::widget::Widget;
use leptos::prelude::*;

/// The button, and the autofill offer while the login page shows in the open dialog.
#[component]
pub fn PasskeyOffer(widget: Widget) -> impl IntoView {
    Effect::new(move |_| widget.sync_passkey_autofill(false));
    on_cleanup(move || widget.stop_passkey_autofill());
    let busy = move || widget.modal.with(|m| m.busy);
    view! {
        <button type="button" class="gw-secondary gw-passkey" part="button" disabled=busy on:click=move |_| widget.sign_in_with_passkey()>
            {text(widget, Text::SignInWithPasskey)}
        </button>
    }
}
