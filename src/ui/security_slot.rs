//! Where a page shows a part of supabase/auth's passkeys and authenticator app, from a chunk:
//! the login page's passkey offer (the `security` chunk, small: every login page of a site
//! with passkeys loads it, with a login's second step), and the account page's sections or an
//! administrator's view of a user's passkeys (`account_security`, loaded by the few who open
//! them; with its styles and its texts' English, `src/js/chunk.js`). A chunk loads the first
//! time one of its parts shows, so sites without them never load it; until it is here (or
//! offline) the part is simply absent.

use super::account_security::{AccountSecurity, UserPasskeys};
use super::passkey::PasskeyOffer;
use crate::browser::chunk;
use crate::core::backend::Backend;
use crate::core::i18n::receive_account_security_english;
use crate::widget::Widget;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_split::{wasm_split, SplitLoaderError};
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::thread::LocalKey;

/// Renders a part of a chunk; `P` says which.
type Render<P> = fn(Widget, P) -> AnyView;
/// Loads a chunk: its renderer, or `None` (offline, a file missing).
type Load<P> = fn() -> Pin<Box<dyn Future<Output = Option<Render<P>>>>>;

/// Shows `part` while `shows` holds (reactive), once `load` has brought its chunk (kept in
/// `loaded`: later slots render at once). Slots waiting at once share one request (wasm-split
/// loads a chunk once). Generic so that each use is compiled where it is used: the login
/// page's in the login path, the account page's in the management chunk.
fn chunk_slot<P: Clone + Send + Sync + 'static>(
    widget: Widget,
    part: P,
    loaded: &'static LocalKey<Cell<Option<Render<P>>>>,
    load: Load<P>,
    shows: fn(Widget, &P) -> bool,
) -> impl IntoView {
    let parts = RwSignal::new(loaded.get());
    let asked = StoredValue::new(false);
    move || {
        if !shows(widget, &part) {
            return None;
        }
        if parts.get().is_none() && !asked.get_value() {
            asked.set_value(true);
            spawn_local(async move {
                let render = load().await;
                loaded.set(render);
                parts.try_set(render);
            });
        }
        parts.get().map(|render| render(widget, part.clone()))
    }
}

thread_local! {
    static OFFER_LOADED: Cell<Option<Render<()>>> = const { Cell::new(None) };
    static ACCOUNT_LOADED: Cell<Option<Render<AccountPart>>> = const { Cell::new(None) };
}

#[wasm_split(security, wasm_split_path = ::leptos::wasm_split, fallible)]
fn passkey_offer() -> Result<Render<()>, SplitLoaderError> {
    Ok(|widget, _| view! { <PasskeyOffer widget /> }.into_any())
}

/// "Sign in with a passkey" and the email field's autofill offer, where the server and the
/// browser have passkeys.
#[component]
pub fn PasskeySlot(widget: Widget) -> impl IntoView {
    let load: Load<()> = || Box::pin(async { passkey_offer().await.ok() });
    chunk_slot(widget, (), &OFFER_LOADED, load, |widget, _| {
        widget.offers_passkeys()
    })
}

/// Which part of the `account_security` chunk a slot shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccountPart {
    /// The account page's passkeys and authenticator app.
    Own,
    /// The passkeys of the user with this id, for an administrator.
    User(String),
}

#[wasm_split(account_security, wasm_split_path = ::leptos::wasm_split, fallible)]
fn account_parts() -> Result<Render<AccountPart>, SplitLoaderError> {
    Ok(|widget, part| match part {
        AccountPart::Own => view! { <AccountSecurity widget /> }.into_any(),
        AccountPart::User(user) => view! { <UserPasskeys widget user /> }.into_any(),
    })
}

/// The account page's sections (on supabase/auth), or a user's passkeys on their page in user
/// management (where the server has passkeys).
#[component]
pub fn AccountSecuritySlot(widget: Widget, part: AccountPart) -> impl IntoView {
    let load: Load<AccountPart> = || {
        let extras = chunk::extras("account_security");
        Box::pin(async {
            let render = account_parts().await.ok()?;
            let english = extras.await?;
            receive_account_security_english(english).then_some(render)
        })
    };
    chunk_slot(
        widget,
        part,
        &ACCOUNT_LOADED,
        load,
        |widget, part| match part {
            AccountPart::Own => widget.session_backend() == Backend::Supabase,
            AccountPart::User(_) => widget.server_has_passkeys(),
        },
    )
}
