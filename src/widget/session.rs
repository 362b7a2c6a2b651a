//! The session's life: restore, persist, log in, refresh once at a time, log out.

use super::{bridge, Since, Widget};
use crate::browser::{self, cookie, http, storage};
use crate::core::api::Request;
use crate::core::flow::Page;
use crate::core::json::Value;
use crate::core::problem::{self, Problem};
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
    /// Admin calls go to the identity-admin function when the page names one.
    pub async fn call_counted(self, request: Request) -> Result<(Value, Option<u32>), Problem> {
        let api_url = self.api_url.get_untracked();
        let request =
            request.with_api_key(self.options.with_value(|o| o.api_key.clone()).as_deref());
        let base_url = self
            .options
            .with_value(|o| o.admin.base_url(&api_url, request.operation).to_string());
        let response = http::send(&base_url, &request).await?;
        if !(200..300).contains(&response.status) {
            return Err(self.options.with_value(|o| {
                o.admin.refusal(
                    request.operation,
                    response.status,
                    response.from_admin_function,
                    &response.body,
                )
            }));
        }
        let value = if response.body.trim().is_empty() {
            Value::Object(Vec::new())
        } else {
            problem::parse_success(&response.body)?
        };
        Ok((value, response.total_count))
    }

    /// Whether requests ask GoTrue for the `nf_jwt` cookie: only with `httpOnlyCookie`, and
    /// then not on localhost, not when the page set its own cookie domain, and not when the
    /// session cannot be stored (the server's cookie would outlive the login). Otherwise the
    /// widget writes the cookies (`widget::cookies`).
    pub fn use_cookie(self) -> bool {
        self.options.with_value(|o| o.http_only_cookie)
            && !browser::location::is_localhost()
            && !cookie::has_domain()
            && storage::persists()
    }

    /// Restores the stored session without network; a malformed record is removed. The
    /// cookies are then brought in step with it (they may hold a login made elsewhere).
    pub fn restore_session(self) {
        let restored = storage::get(STORAGE_KEY).and_then(|stored| {
            let session = Session::restore(&stored);
            if session.is_none() {
                storage::remove(STORAGE_KEY);
            }
            session
        });
        match restored {
            // An `aal1` session of a user with an authenticator app counts only after the app's
            // code (then it is stored again): the dialog asks for it, and the page is told of
            // nobody meanwhile (`agree_with_page` takes back what the loader announced).
            Some(session) if session.needs_second_step() => {
                storage::remove(STORAGE_KEY);
                self.ask_for_second_step(session, true, self.since());
            }
            Some(session) => {
                self.session.set(Some(session));
                // The loader announced it (`init`, then `login`).
                self.set_announced(true);
            }
            None => {}
        }
        self.take_cookies_at_load();
    }

    /// At start: the page may have been told of another session than the one stored now (a
    /// change in another tab whose storage event had not reached the loader yet): it is told
    /// now, `logout` for the one it knew of and `login` for the stored one.
    pub fn agree_with_page(self, told: Option<&str>) {
        let stored = self.session.get_untracked();
        if stored.as_ref().map(Session::user_id) == told {
            return;
        }
        if told.is_some() {
            bridge::set_user(None);
            bridge::emit("logout", None);
        }
        self.set_announced(false);
        if let Some(session) = stored {
            bridge::set_user(Some(&session.to_stored()));
            self.announce_login();
        }
    }

    /// Another tab changed the stored session: follow it without writing storage back.
    /// Someone else (or someone after nobody) is a `logout` of the one before, if announced,
    /// and a `login`; the same user is an update (a refresh or an edit); a removed record is
    /// a `logout`.
    pub fn follow_other_tab(self, stored: Option<String>) {
        let Some(stored) = stored else {
            self.end_session();
            return;
        };
        let Some(session) = Session::restore(&stored) else {
            return;
        };
        if self
            .session
            .with_untracked(|s| s.as_ref() == Some(&session))
        {
            return;
        }
        // Another client's password login of a user with an authenticator app (`aal1`): as at
        // load, it counts only after the app's code. This user's own session here stays; the
        // record stays too (it is that client's).
        if session.needs_second_step() {
            if !self.before_replacing(&session) {
                self.session.set(None);
                bridge::set_user(None);
                self.ask_for_second_step(session, true, self.since());
            }
            return;
        }
        let same_user = self.before_replacing(&session);
        self.session.set(Some(session));
        bridge::set_user(Some(&stored));
        if !same_user {
            self.announce_login();
            self.dispatch(crate::core::flow::Event::LoggedIn);
        }
        self.keep_cookies_in_step();
    }

    /// Stores the session and sets `nf_jwt` — only when the session outlives the page: a
    /// cookie would tell the site's next page that someone is logged in whom it cannot restore.
    pub(super) fn persist(self, session: &Session) {
        let stored = session.to_stored();
        storage::set(STORAGE_KEY, &stored);
        self.write_cookies(session);
        self.session.set(Some(session.clone()));
        bridge::set_user(Some(&stored));
    }

    /// Completes a login from a token response, for the flow that began at `since`: fetches
    /// the user and, unless someone else changed the session meanwhile (then the answer is
    /// dropped), stores the session. With `announce` it fires `login` if the page did not
    /// know of this user (a recovery link announces only once the new password is set), shows
    /// the user page if the dialog was not moved, applies a waiting email change, and does
    /// what the page asked for after a login. A user with a confirmed authenticator app is not
    /// logged in yet: the dialog asks for the app's code (`ask_for_second_step`). Returns where
    /// the flow stands after its own change (`None`: overtaken, or waiting for the code).
    pub async fn log_in_with_tokens(
        self,
        tokens: Value,
        announce: bool,
        since: Since,
    ) -> Result<Option<Since>, Problem> {
        let access_token = tokens
            .str_of("access_token")
            .ok_or(Problem::ServerError)?
            .to_string();
        let user = self.call(Request::get_user(&access_token)).await;
        let session = user.and_then(|user| {
            Session::new(
                &tokens,
                &user,
                &self.api_url.get_untracked(),
                "",
                browser::now_ms(),
            )
            .ok_or(Problem::ServerError)
        });
        let session = match session {
            Ok(session) if self.session_unchanged_since(since) => session,
            dropped => {
                self.resync_server_cookie();
                return dropped.map(|_| None);
            }
        };
        if session.needs_second_step() {
            self.ask_for_second_step(session, announce, since);
            return Ok(None);
        }
        let was_announced = self.take_session(&session) && self.is_announced();
        let since = Since {
            session: self.since().session,
            ..since
        };
        if !announce {
            return Ok(Some(since));
        }
        self.announce_login();
        self.settle(since, crate::core::flow::Event::LoggedIn);
        self.apply_pending_email_change(since).await;
        if !was_announced {
            self.after_login(since);
        }
        Ok(Some(since))
    }

    /// A login whose user has an authenticator app: its session waits, unstored, for the
    /// app's code (`second_step.rs`), which the dialog asks for now; then `resume`s the page
    /// it shows (if `announce` is false). A logged-in session asked for the code before a
    /// guarded step waits the same way (`account_security.rs`).
    pub(super) fn ask_for_second_step(self, session: Session, announce: bool, since: Since) {
        // The person moved on meanwhile: nothing waits for a code they will not be asked for.
        if !self.view_unchanged_since(since) {
            return;
        }
        let resume = self.modal.with_untracked(|m| m.page);
        self.set_pending_step(Some(super::PendingStep {
            session,
            announce,
            resume,
        }));
        self.apply(crate::core::flow::Event::Open(Page::SecondStep));
    }

    /// Stores a session a login made. Returns whether the user is the same as before.
    pub(super) fn take_session(self, session: &Session) -> bool {
        let same_user = self.before_replacing(session);
        self.persist(session);
        same_user
    }

    /// Before `session` replaces the current one: if it is someone else's (or someone after
    /// nobody), the session before ends (its `logout`, if announced) and flows begun before no
    /// longer change the session. Returns whether the user is the same.
    fn before_replacing(self, session: &Session) -> bool {
        let same_user = self
            .session
            .with_untracked(|s| s.as_ref().is_some_and(|s| s.user_id() == session.user_id()));
        if !same_user {
            self.session_moved();
            self.announce_logout();
        }
        same_user
    }

    /// What the page asked for after a login: go to a URL, or close the dialog (unless the
    /// person or the page moved it since the flow began).
    pub fn after_login(self, since: Since) {
        let (close, redirect) = self
            .options
            .with_value(|o| (o.close_after_login, o.redirect_after_login.clone()));
        if let Some(url) = redirect {
            browser::location::assign(&url);
        } else if close {
            self.settle(since, crate::core::flow::Event::Close);
        }
    }

    /// Stores new user fields (after `PUT /user`) without a `login` event. An answer that is
    /// not a user is a server fault and changes nothing.
    /// The answer is dropped when the session is someone else's by now.
    pub fn set_user(self, user: &Value) -> Result<(), Problem> {
        let Some(mut session) = self.session.get_untracked() else {
            return Ok(());
        };
        if user.str_of("id").is_some_and(|id| id != session.user_id()) {
            return Ok(());
        }
        session.set_user(user).ok_or(Problem::ServerError)?;
        self.persist(&session);
        Ok(())
    }

    /// Forgets the session here: storage, cookie, state; flows in flight no longer change
    /// it; fires `logout` once, if the login was announced.
    pub fn end_session(self) {
        storage::remove(STORAGE_KEY);
        cookie::clear();
        if self.session.get_untracked().is_some() {
            self.session_moved();
            self.session.set(None);
            bridge::set_user(None);
            self.dispatch(crate::core::flow::Event::LoggedOut);
            self.announce_logout();
        }
    }

    /// Logs out: ends the session at once, then tells the server, which clears its `nf_jwt`
    /// (HttpOnly on a real domain: only its answer can). A transient failure is retried twice,
    /// so one lost request does not leave the cookie opening role-protected pages.
    pub async fn log_out(self) {
        let token = self
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.access_token().to_string()));
        self.end_session();
        let Some(token) = token else {
            return;
        };
        let mut retries = LOGOUT_RETRIES_MS.into_iter();
        while let Err(problem) = self.call(Request::logout(&token)).await {
            match retries.next() {
                Some(wait_ms) if problem.is_transient() => browser::sleep(wait_ms).await,
                _ => break,
            }
        }
        // Someone logged in while the server was being told: its answer cleared their cookie.
        if self.session.with_untracked(Option::is_some) {
            self.resync_server_cookie();
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
                .get_or_insert_with(|| self.refresh_holding_lock(stale))
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

    /// Runs [`Widget::refresh`] holding [`REFRESH_LOCK`]; the promise settles with its outcome
    /// (the problem's index on failure). The lock is held a moment longer, so the record this
    /// tab stored reaches the other tabs' storage before one of them takes the lock and,
    /// finding its old record, spends a refresh token already spent.
    fn refresh_holding_lock(self, stale: String) -> js_sys::Promise {
        let mut settle = None;
        let outcome = js_sys::Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
        let _ = bridge::with_lock(REFRESH_LOCK, move || {
            wasm_bindgen_futures::future_to_promise(async move {
                let result = self.refresh(&stale).await;
                REFRESH.with(|slot| slot.borrow_mut().take());
                if let Some((resolve, reject)) = settle {
                    let _ = match result {
                        Ok(()) => resolve.call0(&wasm_bindgen::JsValue::UNDEFINED),
                        Err(p) => reject.call1(
                            &wasm_bindgen::JsValue::UNDEFINED,
                            &wasm_bindgen::JsValue::from(p as u32),
                        ),
                    };
                }
                browser::sleep(LOCK_LINGER_MS).await;
                Ok(wasm_bindgen::JsValue::UNDEFINED)
            })
        });
        outcome
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
        let backend = self
            .options
            .with_value(|o| o.backend)
            .unwrap_or_else(|| session.backend());
        match self
            .call(Request::refresh(&refresh_token, self.use_cookie(), backend))
            .await
        {
            Ok(tokens) => match self.session.get_untracked() {
                Some(mut current) if current.refresh_token() == Some(refresh_token.as_str()) => {
                    current
                        .set_tokens(&tokens, browser::now_ms())
                        .ok_or(Problem::ServerError)?;
                    self.persist(&current);
                    Ok(())
                }
                // Ended or replaced meanwhile (a logout, a login, another tab): the answer is
                // dropped, and the cookie it set is put back in step.
                current => {
                    self.resync_server_cookie();
                    current.map(|_| ()).ok_or(Problem::SessionEnded)
                }
            },
            Err(Problem::SessionEnded) => {
                // Refused: another tab may have spent this refresh token just before this one
                // took the lock, its new tokens not yet in this tab's copy of the storage
                // (synced between tabs a moment later). They are taken if they arrive.
                browser::sleep(OTHER_TAB_SYNC_MS).await;
                if self.follow_fresher_tab(&session) {
                    return Ok(());
                }
                let replaced = self.session.with_untracked(|current| {
                    current
                        .as_ref()
                        .map(|c| c.refresh_token() != Some(&refresh_token))
                });
                match replaced {
                    // Someone else's session by now (a new login): it stands.
                    Some(true) => return Ok(()),
                    None => return Err(Problem::SessionEnded),
                    Some(false) => {}
                }
                self.end_session();
                self.resync_server_cookie();
                Err(Problem::SessionEnded)
            }
            Err(problem) => Err(problem),
        }
    }

    /// A token response whose session this tab did not keep (its flow failed after it, or was
    /// overtaken), or another tab's `/logout`, may have changed `nf_jwt`: put it back in step
    /// with this tab's session. The widget's own cookies are rewritten at once; the server's
    /// (HttpOnly) only the server can change: a refresh sets it again, a request without a
    /// token clears it.
    pub(super) fn resync_server_cookie(self) {
        if !self.use_cookie() {
            self.keep_cookies_in_step();
            return;
        }
        leptos::task::spawn_local(async move {
            if self.session.with_untracked(Option::is_some) {
                let _ = self.jwt(true).await;
            } else {
                let _ = self.call(Request::clear_cookie()).await;
            }
        });
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

/// The waits before the second and third `/logout` after a transient failure.
const LOGOUT_RETRIES_MS: [i32; 2] = [500, 2000];

/// How long a tab keeps the refresh lock after its refresh, for its record to reach the other
/// tabs (in milliseconds, as the next constant).
const LOCK_LINGER_MS: i32 = 200;

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
