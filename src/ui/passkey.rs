//! "Sign in with a passkey" on the login page, where the server and the browser have passkeys:
//! the button, and the email field's autofill offer, from the `security` chunk. It loads when
//! the login page first offers them, so sites without passkeys never load it.

use super::fields::text;
use crate::core::i18n::Text;
use crate::widget::Widget;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use std::cell::Cell;

/// Renders the offer (see [`PasskeyOffer`]).
type Offer = fn(Widget) -> AnyView;

thread_local! {
    /// The chunk's renderer once it has loaded: later login pages render it at once.
    static LOADED: Cell<Option<Offer>> = const { Cell::new(None) };
    /// The chunk is being asked for (one request for every login page waiting).
    static LOADING: Cell<bool> = const { Cell::new(false) };
}

/// The split point: what only this reaches goes into the `security` chunk.
#[wasm_split(security, wasm_split_path = ::leptos::wasm_split, fallible)]
fn passkey_offer() -> Result<Offer, SplitLoaderError> {
    Ok(|widget| view! { <PasskeyOffer widget /> }.into_any())
}

/// Where the login page offers passkeys: nothing until the server and the browser are known
/// to have them and the chunk is here (offline, the password form is all there is).
#[component]
pub fn PasskeySlot(widget: Widget) -> impl IntoView {
    let offer = RwSignal::new(LOADED.get());
    move || {
        if !widget.offers_passkeys() {
            return None;
        }
        if offer.get().is_none() && !LOADING.replace(true) {
            spawn_local(async move {
                let loaded = passkey_offer().await.ok();
                LOADED.set(loaded);
                LOADING.set(false);
                offer.try_set(loaded);
            });
        }
        offer.get().map(|render| render(widget))
    }
}

/// The button, and the autofill offer while the login page shows in the open dialog.
#[component]
fn PasskeyOffer(widget: Widget) -> impl IntoView {
    Effect::new(move |_| widget.sync_passkey_autofill(false));
    on_cleanup(move || widget.stop_passkey_autofill());
    let busy = move || widget.modal.with(|m| m.busy);
    view! {
        <button type="button" class="gw-secondary gw-passkey" part="button" disabled=busy on:click=move |_| widget.sign_in_with_passkey()>
            {text(widget, Text::SignInWithPasskey)}
        </button>
    }
}
