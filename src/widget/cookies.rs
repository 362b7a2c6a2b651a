//! `nf_jwt` and `nf_refresh` kept in step with the session, and the session with what other
//! code wrote in them (`core::cookies` decides which side wins): `@netlify/identity` beside the
//! widget in the page, its functions on the server, GoTrue's answers to other tabs.

use super::chunk::ChunkFailure;
use super::Widget;
use crate::browser::{self, cookie, storage};
use crate::core::api::Request;
use crate::core::cookies::{self, CookieAction};
use crate::core::json::Value;
use crate::core::problem::Problem;
use crate::core::session::{Session, STORAGE_KEY};
use leptos::prelude::*;
use leptos::wasm_split::wasm_split;
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;

/// Logs in with the tokens only the cookies hold (see [`Widget::log_in_from_cookies`]).
type CookieLogin = fn(Widget, Value) -> Pin<Box<dyn Future<Output = ()>>>;

/// The split point: a login only the cookies hold is rare (a function's), so its code waits in
/// the management chunk.
#[wasm_split(manage, wasm_split_path = ::leptos::wasm_split, fallible)]
fn cookie_login() -> Result<CookieLogin, ChunkFailure> {
    Ok(|widget, tokens| Box::pin(widget.log_in_from_cookies(tokens)))
}

thread_local! {
    /// Whether the server was asked to expire an HttpOnly `nf_jwt` that blocked the widget's.
    static HTTP_ONLY_LEFTOVER_CLEARED: Cell<bool> = const { Cell::new(false) };
}

impl Widget {
    /// Whether the page's scripts can read the cookies: unless `httpOnlyCookie`.
    fn cookies_readable(self) -> bool {
        !self.options.with_value(|o| o.http_only_cookie)
    }

    /// Writes `session`'s tokens — only when the session outlives the page: a cookie would tell
    /// the site's next page that someone is logged in whom it cannot restore. With
    /// `httpOnlyCookie`, `nf_jwt` alone, which matters only where the server was not asked for
    /// its own (localhost, a cookie domain): a script cannot replace an HttpOnly one.
    pub(super) fn write_cookies(self, session: &Session) {
        if !storage::persists() {
            return;
        }
        let refresh = session.refresh_token().filter(|_| self.cookies_readable());
        cookie::set_tokens(session.access_token(), refresh);
    }

    /// Brings the cookies and the session in step: writes the session's tokens over anything
    /// else, or takes newer tokens of the same user (see [`CookieAction`]).
    pub(super) fn keep_cookies_in_step(self) {
        self.settle_cookies(false);
    }

    /// As [`Widget::keep_cookies_in_step`], at page load, when cookies that hold a login
    /// without a stored record were left by a login elsewhere (a function's): it is taken up.
    /// Later in the page's life such cookies are expired: every script here stores the record
    /// first, so they come from a refresh that raced a logout (`@netlify/identity`'s timer).
    pub(super) fn take_cookies_at_load(self) {
        self.settle_cookies(true);
    }

    fn settle_cookies(self, page_load: bool) {
        let session = self.session.get_untracked();
        if !self.cookies_readable() || !storage::persists() {
            match &session {
                Some(session) => self.write_cookies(session),
                None => cookie::clear(),
            }
            return;
        }
        let jwt = cookie::read(cookie::JWT);
        let refresh = cookie::read(cookie::REFRESH);
        match cookies::compare(session.as_ref(), jwt.as_deref(), refresh.as_deref()) {
            CookieAction::InStep => {}
            CookieAction::LogIn(tokens) if page_load => {
                leptos::task::spawn_local(async move {
                    // Offline, or the chunk missing: the next page load tries again.
                    if let Ok(log_in) = cookie_login().await {
                        log_in(self, tokens).await;
                    }
                });
            }
            CookieAction::Write | CookieAction::LogIn(_) => match session {
                Some(session) => {
                    self.write_cookies(&session);
                    self.clear_http_only_leftover(&session);
                }
                None => cookie::clear(),
            },
            // Newer tokens of the session's user, written by someone else: a function's
            // `refreshSession()`, or another tab — whose record may not have reached this tab
            // yet (cookies and storage travel apart), and whose user may have changed (an email
            // change it finished). Stored with this tab's user they could undo that tab's
            // record, so they are taken as a login is: with the user the server has for them.
            CookieAction::TakeTokens(tokens) => leptos::task::spawn_local(async move {
                let _ = self.log_in_with_tokens(tokens, false, self.since()).await;
            }),
        }
    }

    /// A cookie changed: another script in this page logged in or out (`@netlify/identity`
    /// writes the stored record, then the cookies), another tab did, or a server's answer set
    /// or expired `nf_jwt`. The session follows the stored record; the cookies follow both.
    pub fn follow_cookie_change(self) {
        let stored = storage::get(STORAGE_KEY);
        if stored.is_some() || self.session.with_untracked(Option::is_some) {
            self.follow_other_tab(stored);
        }
        self.keep_cookies_in_step();
    }

    /// A login only the cookies hold (a function logged in, or the record was lost). Its
    /// refresh token is spent first: that proves the login still stands, since a logout
    /// meanwhile (GoTrue deletes the user's refresh tokens) refuses it, where the access token
    /// would still pass until it expires. It counts if nothing changed the session or the
    /// stored record meanwhile; refused, the dead cookies are expired.
    async fn log_in_from_cookies(self, tokens: Value) {
        let since = self.since();
        let stored_before = storage::get(STORAGE_KEY);
        let Some(spent) = tokens.str_of("refresh_token").map(String::from) else {
            return;
        };
        let backend = self.backend().await;
        let fresh = match self.call(Request::refresh(&spent, false, backend)).await {
            Ok(fresh) => fresh,
            Err(Problem::SessionEnded) => {
                if cookie::read(cookie::REFRESH).as_deref() == Some(spent.as_str()) {
                    cookie::clear();
                }
                return;
            }
            // Offline or a server fault: the next page load tries again.
            Err(_) => return,
        };
        let Some(access_token) = fresh.str_of("access_token") else {
            return;
        };
        let Ok(user) = self.call(Request::get_user(access_token)).await else {
            return;
        };
        let unchanged =
            self.session_unchanged_since(since) && storage::get(STORAGE_KEY) == stored_before;
        let api_url = self.api_url.get_untracked();
        let now = browser::now_ms();
        match Session::new(&fresh, &user, &api_url, "", now).filter(|_| unchanged) {
            Some(session) => {
                let stored = session.to_stored();
                storage::set(STORAGE_KEY, &stored);
                self.follow_other_tab(Some(stored));
            }
            // Overtaken: whatever stands now, the cookies follow it, not the tokens spent here.
            None => self.keep_cookies_in_step(),
        }
    }

    /// The server set `nf_jwt` HttpOnly before (the widget asked for it until it wrote its
    /// own): no script can replace it, so the server is asked to expire it — a request
    /// without a token does — and the widget's is written then. Once a page.
    fn clear_http_only_leftover(self, session: &Session) {
        let written = cookie::read(cookie::JWT).as_deref() == Some(session.access_token());
        if written || HTTP_ONLY_LEFTOVER_CLEARED.replace(true) {
            return;
        }
        leptos::task::spawn_local(async move {
            let _ = self.call(Request::clear_cookie()).await;
            if let Some(session) = self.session.get_untracked() {
                self.write_cookies(&session);
            }
        });
    }
}
