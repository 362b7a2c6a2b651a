//! The PKCE flow's browser side (`core::pkce`), in a wasm chunk of its own (`pkce`): only pages
//! with `flowType: 'pkce'` load it, when they ask for a mail or finish its link.

use super::Widget;
use crate::browser::{location, storage};
use crate::core::api::Request;
use crate::core::flow::{Event, Notice};
use crate::core::fragment::LinkAction;
use crate::core::pkce::{self, Pending, Purpose, REDIRECT_MARKER, STORAGE_KEY};
use crate::core::problem::Problem;
use leptos::task::spawn_local;
use leptos::wasm_split::{wasm_split, SplitLoaderError};

/// Makes and keeps a verifier for the link a request mails; the request with its challenge
/// and the marked way back to `page`.
type Challenge = fn(Request, Purpose, String) -> Request;
/// Exchanges the code of the link in the URL for tokens, and logs in with them.
type Exchange = fn(Widget);

/// The split point: what only this reaches goes into the `pkce` chunk.
#[wasm_split(pkce, wasm_split_path = ::leptos::wasm_split, fallible)]
fn parts() -> Result<(Challenge, Exchange), SplitLoaderError> {
    Ok((challenge, exchange))
}

/// `request` with a PKCE challenge and the way back to `page` (see [`Challenge`]); without the
/// chunk (offline: the request fails too) only the way back.
pub async fn with_challenge(request: Request, purpose: Purpose, page: String) -> Request {
    match parts().await {
        Ok((challenge, _)) => challenge(request, purpose, page),
        Err(_) => request.with_redirect(&page),
    }
}

/// Finishes the PKCE link the page was opened with (see [`Exchange`]).
pub async fn exchange_link_code(widget: Widget) {
    let since = widget.since();
    match parts().await {
        Ok((_, exchange)) => exchange(widget),
        // Said only if the person has not moved on while the chunk was asked for.
        Err(_) => widget.settle(
            since,
            Event::Show(Notice::VerificationFailed(Problem::Offline)),
        ),
    }
}

fn challenge(request: Request, purpose: Purpose, page: String) -> Request {
    // Without a random source there is no secret to keep: the link brings tokens instead.
    let Some(random) = crate::browser::random_bytes() else {
        return request.with_redirect(&page);
    };
    let pending = Pending::new(random, purpose);
    storage::set(STORAGE_KEY, &pending.to_json());
    request
        .with_redirect(&format!("{page}{REDIRECT_MARKER}"))
        .with_pkce(&pending.challenge())
}

fn exchange(widget: Widget) {
    // The code leaves the URL at once, used or not.
    let code = location::take_query_param("code");
    widget.with_progress(move |since| async move {
        let pending = storage::get(STORAGE_KEY).and_then(|text| Pending::from_json(&text));
        // Opened in another browser (or its code already used here): no verifier.
        let (Some(code), Some(pending)) = (code, pending) else {
            return Err(Problem::LinkOtherBrowser);
        };
        storage::remove(STORAGE_KEY);
        let request = Request::pkce_exchange(&code, &pending.verifier);
        let answer = widget.call(request).await?;
        let tokens = pkce::link_tokens(&answer, pending.purpose).ok_or(Problem::ServerError)?;
        if widget.session_unchanged_since(since) {
            // In a task of its own, after this progress has ended: the login shows its own.
            spawn_local(async move {
                widget.finish_link_action(LinkAction::ExternalLogin(tokens));
            });
        }
        Ok(())
    });
}
