//! The account page, user management and passwordless sign-in live in a wasm chunk of their
//! own, loaded the first time one of them opens: most visitors never see them, so the login
//! dialog does not pay for them. `scripts/build.sh` splits the chunk off at `manage_views`
//! (wasm-split); a native build calls it directly. A login's second step comes the same way
//! from the `security` chunk (`ui::security`).

use super::account::AccountPage;
use super::fields::text;
use super::sign_in_link::{SignInCodePage, SignInLinkPage};
use super::user_detail::UserDetailPage;
use super::users::UsersPage;
use crate::core::flow::Page;
use crate::core::i18n::Text;
use crate::widget::chunk::ChunkFailure;
use crate::widget::Widget;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_split::wasm_split;
use std::cell::Cell;
use std::thread::LocalKey;

/// Renders one of a chunk's pages.
pub type ChunkViews = fn(Widget, Page) -> AnyView;

thread_local! {
    /// Each chunk's renderer once it has loaded: later visits render at once.
    static MANAGE_LOADED: Cell<Option<ChunkViews>> = const { Cell::new(None) };
    static SECURITY_LOADED: Cell<Option<ChunkViews>> = const { Cell::new(None) };
}

/// Whether `page` comes from the security chunk (else the management chunk).
fn is_security(page: Page) -> bool {
    page == Page::SecondStep
}

/// The renderer of `page`'s chunk, if it has loaded.
fn loaded(page: Page) -> &'static LocalKey<Cell<Option<ChunkViews>>> {
    if is_security(page) {
        &SECURITY_LOADED
    } else {
        &MANAGE_LOADED
    }
}

async fn load_views(page: Page) -> Result<ChunkViews, ChunkFailure> {
    if is_security(page) {
        super::security::security_views().await
    } else {
        manage_views().await
    }
}

/// The split point: everything only this function reaches goes into the chunk. It returns a
/// plain function pointer so the views are built later, inside the page's reactive owner.
#[wasm_split(manage, wasm_split_path = ::leptos::wasm_split, fallible)]
fn manage_views() -> Result<ChunkViews, ChunkFailure> {
    Ok(render)
}

fn render(widget: Widget, page: Page) -> AnyView {
    match page {
        Page::Users => view! { <UsersPage widget /> }.into_any(),
        Page::UserDetail => view! { <UserDetailPage widget /> }.into_any(),
        Page::SignInLink => view! { <SignInLinkPage widget /> }.into_any(),
        Page::SignInCode => view! { <SignInCodePage widget /> }.into_any(),
        _ => view! { <AccountPage widget /> }.into_any(),
    }
}

#[derive(Clone)]
enum Chunk {
    Loading,
    Ready(ChunkViews),
    Failed(ChunkFailure),
}

/// `page` (account, users, a user's detail, a second step), after its chunk has loaded. While
/// it loads the dialog says so; if it cannot load, it says what to do and offers to try again.
#[component]
pub fn ChunkPage(widget: Widget, page: Page) -> impl IntoView {
    let chunk = RwSignal::new(loaded(page).get().map_or(Chunk::Loading, Chunk::Ready));
    let load = move || {
        chunk.set(Chunk::Loading);
        spawn_local(async move {
            match load_views(page).await {
                Ok(views) => {
                    loaded(page).set(Some(views));
                    chunk.set(Chunk::Ready(views));
                }
                Err(failure) => chunk.set(Chunk::Failed(failure)),
            }
        });
    };
    if matches!(chunk.get_untracked(), Chunk::Loading) {
        load();
    }
    let title = match page {
        Page::Users => Text::TitleUsers,
        Page::UserDetail => Text::TitleUserDetail,
        Page::SignInLink | Page::SignInCode => Text::TitleSignInLink,
        Page::SecondStep => Text::TitleSecondStep,
        _ => Text::TitleAccount,
    };
    move || match chunk.get() {
        Chunk::Ready(render) => render(widget, page),
        Chunk::Loading => view! {
            <h2 id="gw-title">{text(widget, title)}</h2>
            <p class="gw-progress" role="status">{text(widget, Text::Loading)}</p>
        }
        .into_any(),
        Chunk::Failed(failure) => view! {
            <h2 id="gw-title">{text(widget, title)}</h2>
            // Read here, the locale is tracked: a switch renders the page again.
            <p class="gw-error" role="alert">{failure.text(widget)}</p>
            <button type="button" class="gw-secondary" on:click=move |_| load()>
                {text(widget, Text::TryAgain)}
            </button>
        }
        .into_any(),
    }
}
