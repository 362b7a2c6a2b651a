//! The session's life: restore, persist, log in, refresh once at a time, log out.

use super::{bridge, Widget};
use crate::browser::{self, cookie, http, storage};
use crate::core::api::{self, Problem, Request};
use crate::core::json::Value;
use crate::core::session::{Session, STORAGE_KEY};
use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen_futures::JsFuture;

/// The Web Lock that lets one tab of the site refresh at a time.
const REFRESH_LOCK: &str = "gotrue-widget-refresh";

thread_local! {
    /// The refresh in flight, shared by every caller of `jwt()` in this tab.
    static REFRESH: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

impl Widget {
    /// Sends a request to the API and reads a JSON object back.
    pub async fn call(self, request: Request) -> Result<Value, Problem> {
        self.call_counted(request).await.map(|(value, _)| value)
    }

    /// As [`Widget::call`], with the `X-Total-Count` header of list responses.
    pub async fn call_counted(self, request: Request) -> Result<(Value, Option<u32>), Problem> {
        let api_url = self.api_url.get_untracked();
        let response = http::send(&api_url, &request).await?;
        if !(200..300).contains(&response.status) {
            let problem =
                Problem::from_response(request.operation, response.status, &response.body);
            return Err(problem);
        }
        let value = if response.body.trim().is_empty() {
            Value::Object(Vec::new())
        } else {
            api::parse_success(&response.body)?
        };
        Ok((value, response.total_count))
    }

    /// Whether requests ask GoTrue for the `nf_jwt` cookie: not on localhost, and not when
    /// the page set its own cookie domain (the widget writes the cookie then).
    pub fn use_cookie(self) -> bool {
        !browser::location::is_localhost() && !cookie::has_domain()
    }

    /// Restores the stored session without network; a malformed record is removed.
    pub fn restore_session(self) {
        let Some(stored) = storage::get(STORAGE_KEY) else {
            return;
        };
        match Session::restore(&stored) {
            Some(session) => {
                cookie::set_jwt(session.access_token());
                self.session.set(Some(session));
            }
            None => storage::remove(STORAGE_KEY),
        }
    }

    /// Another tab changed the stored session: follow it without writing storage back.
    /// A different user (or someone after nobody) is a `login`; the same user is an update
    /// (a refresh or an edit); a removed record is a `logout`.
    pub fn follow_other_tab(self, stored: Option<String>) {
        let Some(stored) = stored else {
            self.end_session();
            return;
        };
        let Some(session) = Session::restore(&stored) else {
            return;
        };
        let same_user = self
            .session
            .with_untracked(|s| s.as_ref().is_some_and(|s| s.user_id() == session.user_id()));
        self.session.set(Some(session));
        bridge::set_user(Some(&stored));
        if !same_user {
            self.is_admin.set(None);
            bridge::emit("login", None);
            self.dispatch(crate::core::flow::Event::LoggedIn);
        }
    }

    pub(super) fn persist(self, session: &Session) {
        let stored = session.to_stored();
        storage::set(STORAGE_KEY, &stored);
        cookie::set_jwt(session.access_token());
        self.session.set(Some(session.clone()));
        bridge::set_user(Some(&stored));
    }

    /// Completes a login from a token response: fetches the user, stores the session, fires
    /// `login` if nobody was logged in (unless `announce` is false: a recovery link announces
    /// the login only once the new password is set), and applies a waiting email change.
    pub async fn log_in_with_tokens(self, tokens: Value, announce: bool) -> Result<(), Problem> {
        let access_token = tokens
            .str_of("access_token")
            .ok_or(Problem::ServerError)?
            .to_string();
        let user = self.call(Request::get_user(&access_token)).await?;
        let session = Session::new(
            &tokens,
            &user,
            &self.api_url.get_untracked(),
            "",
            browser::now_ms(),
        )
        .ok_or(Problem::ServerError)?;
        let was_logged_in = self.session.with_untracked(Option::is_some);
        self.persist(&session);
        if !was_logged_in && announce {
            bridge::emit("login", None);
        }
        if announce {
            self.dispatch(crate::core::flow::Event::LoggedIn);
        }
        self.apply_pending_email_change().await;
        if !was_logged_in && announce {
            self.after_login();
        }
        Ok(())
    }

    /// What the page asked for after a login: go to a URL, or close the dialog.
    pub fn after_login(self) {
        let (close, redirect) = self
            .options
            .with_value(|o| (o.close_after_login, o.redirect_after_login.clone()));
        if let Some(url) = redirect {
            browser::location::assign(&url);
        } else if close {
            self.dispatch(crate::core::flow::Event::Close);
        }
    }

    /// Stores new user fields (after `PUT /user`) without a `login` event. An answer that is
    /// not a user is a server fault and changes nothing.
    pub fn set_user(self, user: &Value) -> Result<(), Problem> {
        let Some(mut session) = self.session.get_untracked() else {
            return Ok(());
        };
        session.set_user(user).ok_or(Problem::ServerError)?;
        self.persist(&session);
        Ok(())
    }

    /// Forgets the session here: storage, cookie, state; fires `logout` once.
    pub fn end_session(self) {
        self.is_admin.set(None);
        storage::remove(STORAGE_KEY);
        cookie::clear_jwt();
        if self.session.get_untracked().is_some() {
            self.session.set(None);
            bridge::set_user(None);
            self.dispatch(crate::core::flow::Event::LoggedOut);
            bridge::emit("logout", None);
        }
    }

    /// Logs out: ends the session at once, then tells the server (its answer changes nothing).
    pub async fn log_out(self) {
        let token = self
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.access_token().to_string()));
        self.end_session();
        if let Some(token) = token {
            let _ = self.call(Request::logout(&token)).await;
        }
    }

    /// The access token, refreshed first when it expires within a minute (or when forced).
    /// Concurrent callers share one refresh. A refusal ends the session; a transient failure
    /// keeps it and reports the problem.
    pub async fn jwt(self, force: bool) -> Result<String, Problem> {
        let session = self.session.get_untracked().ok_or(Problem::SessionEnded)?;
        if !force && !session.needs_refresh(browser::now_ms()) {
            return Ok(session.access_token().to_string());
        }
        let before = session.access_token().to_string();
        let stale = before.clone();
        let shared = REFRESH.with(|slot| {
            slot.borrow_mut()
                .get_or_insert_with(|| {
                    bridge::with_lock(REFRESH_LOCK, move || {
                        wasm_bindgen_futures::future_to_promise(async move {
                            let outcome = self.refresh(&stale).await;
                            REFRESH.with(|slot| slot.borrow_mut().take());
                            outcome
                                .map(|()| wasm_bindgen::JsValue::UNDEFINED)
                                .map_err(|p| wasm_bindgen::JsValue::from(p as u32))
                        })
                    })
                })
                .clone()
        });
        let outcome = JsFuture::from(shared).await;
        let current = self.session.get_untracked().ok_or(Problem::SessionEnded)?;
        match outcome {
            Ok(_) => Ok(current.access_token().to_string()),
            // Another caller's refresh may have failed transiently after ours succeeded.
            Err(_) if current.access_token() != before => Ok(current.access_token().to_string()),
            Err(code) => Err(problem_from_code(code.as_f64().unwrap_or_default() as u32)),
        }
    }

    /// Replaces the access token `stale`; runs holding [`REFRESH_LOCK`]. Another tab may have
    /// refreshed while this one waited: its tokens are taken then, without a request (the
    /// refresh token this tab held is spent). This tab may already have them (storage event).
    async fn refresh(self, stale: &str) -> Result<(), Problem> {
        let session = self.session.get_untracked().ok_or(Problem::SessionEnded)?;
        if self.replaced(&session, stale) || self.follow_fresher_tab(&session) {
            return Ok(());
        }
        let refresh_token = session
            .refresh_token()
            .ok_or(Problem::SessionEnded)?
            .to_string();
        match self
            .call(Request::refresh(&refresh_token, self.use_cookie()))
            .await
        {
            Ok(tokens) => {
                let mut session = self.session.get_untracked().ok_or(Problem::SessionEnded)?;
                session
                    .set_tokens(&tokens, browser::now_ms())
                    .ok_or(Problem::ServerError)?;
                self.persist(&session);
                Ok(())
            }
            Err(Problem::SessionEnded) => {
                // Refused: another tab may have spent this refresh token just before this one
                // took the lock, its new tokens not yet in this tab's copy of the storage
                // (synced between tabs a moment later). They are taken if they arrive.
                browser::sleep(OTHER_TAB_SYNC_MS).await;
                if self.follow_fresher_tab(&session) {
                    return Ok(());
                }
                self.end_session();
                Err(Problem::SessionEnded)
            }
            Err(problem) => Err(problem),
        }
    }

    /// Whether `session` holds a fresh token other than `stale`.
    fn replaced(self, session: &Session, stale: &str) -> bool {
        session.access_token() != stale && !session.needs_refresh(browser::now_ms())
    }

    /// Takes the tokens another tab stored for the same user after refreshing `session` (GoTrue
    /// gives a new refresh token every time; the access token may come out the same within a
    /// second), if it did and they are fresh.
    fn follow_fresher_tab(self, session: &Session) -> bool {
        let Some(stored) = storage::get(STORAGE_KEY) else {
            return false;
        };
        let fresher = Session::restore(&stored).filter(|other| {
            other.user_id() == session.user_id()
                && (other.access_token() != session.access_token()
                    || other.refresh_token() != session.refresh_token())
                && !other.needs_refresh(browser::now_ms())
        });
        if fresher.is_some() {
            self.follow_other_tab(Some(stored));
        }
        fresher.is_some()
    }
}

/// How long a tab whose refresh was refused waits for another tab's tokens to reach its
/// storage before the session ends: tabs' storage syncs in milliseconds; this is generous.
const OTHER_TAB_SYNC_MS: i32 = 500;

/// The refresh outcome crosses a JS promise as the problem's index.
fn problem_from_code(code: u32) -> Problem {
    Problem::ALL
        .into_iter()
        .find(|p| *p as u32 == code)
        .unwrap_or(Problem::ServerError)
}
