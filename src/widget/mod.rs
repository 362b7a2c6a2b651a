//! The running widget: reactive state shared by the UI and the page-facing API, and the
//! operations on it. Each operation is the same whether a form or the page started it.

mod account_security;
mod actions;
pub mod admin;
pub mod admin_calls;
pub mod admin_import;
pub mod bridge;
pub mod chunk;
pub mod client;
mod cookies;
mod links;
mod passkey_sign_in;
mod passwordless;
mod pkce;
mod second_step;
mod session;

use crate::core::api::Settings;
use crate::core::flow::{Context, Event, Modal};
use crate::core::i18n::{Locale, Text};
use crate::core::json::Value;
use crate::core::options::Options;
use crate::core::problem::Problem;
use crate::core::session::Session;
use crate::core::startup::{FieldDraft, Takeover};
use leptos::prelude::*;
use std::cell::{Cell, OnceCell};

/// A link token waiting for the user (a new password, or a login first).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum PendingLink {
    #[default]
    None,
    /// An invite: the password form sends `/verify` with this token.
    Invite(String),
    /// An invite whose link logged the person in (supabase/auth): the password form sets the
    /// password on that session.
    InvitedSession,
    /// An email change to apply once someone is logged in.
    EmailChange(String),
}

/// A login waiting for its second step (the authenticator app's code): its session, not stored
/// and not announced until the code gives an `aal2` one.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingStep {
    pub session: Session,
    /// Whether the login is announced once complete (a recovery's waits for the password).
    pub announce: bool,
    /// The page the flow showed when the step was asked for, shown again after it when the
    /// login is not announced (a new password, an invite's password).
    pub resume: crate::core::flow::Page,
}

/// All widget state. Signals are `Copy`, so the widget is too.
#[derive(Clone, Copy)]
pub struct Widget {
    pub session: RwSignal<Option<Session>>,
    pub modal: RwSignal<Modal>,
    /// `GET /settings`, loaded on first open.
    pub settings: RwSignal<Option<Settings>>,
    /// Settings could not be loaded; the message says from where.
    pub settings_failed: RwSignal<bool>,
    /// A `/settings` request is in flight (one at a time: a login waits for it).
    settings_loading: StoredValue<bool>,
    pub locale: RwSignal<Locale>,
    pub api_url: RwSignal<String>,
    pub pending: RwSignal<PendingLink>,
    /// A link is being checked (shown as progress).
    pub verifying: RwSignal<bool>,
    /// The server's description of a failed link, shown as text under our message.
    pub link_detail: RwSignal<Option<String>>,
    /// The page's `init` options.
    pub options: StoredValue<Options>,
    /// On localhost without `APIUrl` or a stored site URL: the site URL must be asked for.
    pub needs_site_url: RwSignal<bool>,
    /// On localhost: the site URL the development prompt stored, shown with a way to clear it.
    pub dev_site_url: RwSignal<Option<String>>,
    /// The users list's page, search and sort, kept while a user page is open.
    pub admin_query: RwSignal<crate::core::admin::Query>,
    /// The user the user page shows.
    pub admin_selected: RwSignal<Option<crate::core::json::Value>>,
    /// Roles seen in the list, suggested on the user page.
    pub admin_roles: RwSignal<Vec<String>>,
    /// A result to announce on the list (after a delete).
    pub admin_notice: RwSignal<Option<String>>,
    /// `open('signup', metadata)`: pre-fills the form, sent as the signup's `data`.
    pub signup_metadata: RwSignal<Value>,
    /// What was typed in the loader's dialog, taken by each field as it is built.
    drafts: StoredValue<Takeover>,
    /// Passwordless sign-in: the address the code was mailed to.
    pub sign_in_email: RwSignal<String>,
}

/// Where the widget stood when a flow began (a form's submit, a link), counted in moves.
///
/// The invariants this upholds (checked in Chromium by `tests/e2e/explore.test.mjs`):
/// - the dialog shows a logged-in page only while there is a session;
/// - `currentUser()`, the stored record, the `nf_jwt` cookie and the page's controls agree
///   once each call settles (a token answer this tab drops puts the server's cookie back in
///   step: `resync_server_cookie`);
/// - `login` and `logout` alternate: `logout` only for an announced login;
/// - a flow's late answer never changes the session after someone else changed it (a logout,
///   another tab), nor what the dialog shows after the person or the page moved it;
/// - each call's promise settles, and `jwt()` never hands out a token the server considers
///   expired (expiry is judged on the server's clock: `core::session`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Since {
    /// Session changes made outside the flow: a logout, another tab, another login.
    session: u64,
    /// Dialog moves made by the person or the page: open, close, a tab, a submit.
    view: u64,
}

thread_local! {
    static WIDGET: OnceCell<Widget> = const { OnceCell::new() };
    /// The moves that overtake a flow's late answer, counted (see [`Since`]).
    static MOVES: Cell<Since> = const { Cell::new(Since { session: 0, view: 0 }) };
    /// Whether the page was told of the current session (`login` fired, or the loader
    /// announced the stored one); `logout` fires only then.
    static ANNOUNCED: Cell<bool> = const { Cell::new(false) };
    /// A login waiting for the authenticator app's code (not reactive: its page reads it
    /// when it acts).
    static SECOND_STEP: std::cell::RefCell<Option<PendingStep>> = const { std::cell::RefCell::new(None) };
}

impl Widget {
    /// Creates the one widget of this page. `api_url` is empty on localhost until the site
    /// URL is known.
    pub fn create(api_url: String, options: Options, locale: Locale) -> Widget {
        let widget = Widget {
            session: RwSignal::new(None),
            modal: RwSignal::new(Modal::default()),
            settings: RwSignal::new(None),
            settings_failed: RwSignal::new(false),
            settings_loading: StoredValue::new(false),
            locale: RwSignal::new(locale),
            needs_site_url: RwSignal::new(api_url.is_empty()),
            api_url: RwSignal::new(api_url),
            pending: RwSignal::new(PendingLink::None),
            verifying: RwSignal::new(false),
            link_detail: RwSignal::new(None),
            options: StoredValue::new(options),
            dev_site_url: RwSignal::new(None),
            admin_query: RwSignal::new(crate::core::admin::Query {
                page: 1,
                per_page: crate::core::admin::PAGE_SIZE,
                ..Default::default()
            }),
            admin_selected: RwSignal::new(None),
            admin_roles: RwSignal::new(Vec::new()),
            admin_notice: RwSignal::new(None),
            signup_metadata: RwSignal::new(Value::Object(Vec::new())),
            drafts: StoredValue::new(Takeover::default()),
            sign_in_email: RwSignal::new(String::new()),
        };
        WIDGET.with(|cell| {
            let _ = cell.set(widget);
        });
        widget
    }

    /// Whether user management is shown to the logged-in user (`core::admin_access`): read
    /// from the session, reactively; the server (or the function) still decides each call.
    pub fn is_admin(self) -> bool {
        let access = self.options.with_value(|o| o.admin.clone());
        self.session
            .with(|s| s.as_ref().is_some_and(|s| access.grants(s)))
    }

    /// The server of the logged-in session, as its token's claims say (netlify/gotrue when
    /// nobody is logged in).
    pub fn session_backend(self) -> crate::core::backend::Backend {
        self.session
            .with_untracked(|s| s.as_ref().map(Session::backend))
            .unwrap_or_default()
    }

    /// The page's widget, once started.
    pub fn get() -> Option<Widget> {
        WIDGET.with(|cell| cell.get().copied())
    }

    /// Continues from the loader's dialog: its page, open or closed, without announcing
    /// anything (the loader fired `open`), and its fields' contents for the fields to take.
    pub fn take_over(self, takeover: Takeover) {
        if let Some(page) = takeover.page {
            self.modal.set(Modal {
                page,
                is_open: takeover.open,
                ..Modal::default()
            });
        }
        self.drafts.set_value(takeover);
    }

    /// What the person typed in the loader's dialog into the field `id`, once.
    pub fn take_draft(self, id: &str) -> Option<FieldDraft> {
        self.drafts.try_update_value(|t| t.take_field(id)).flatten()
    }

    /// The login waiting for its second step, if any.
    pub fn pending_step(self) -> Option<PendingStep> {
        SECOND_STEP.with(|step| step.borrow().clone())
    }

    /// Sets (or with `None`, drops) the login waiting for its second step.
    pub fn set_pending_step(self, step: Option<PendingStep>) {
        SECOND_STEP.with(|slot| *slot.borrow_mut() = step);
    }

    /// A translated string in the current locale.
    pub fn text(self, key: Text) -> &'static str {
        self.locale.get().text(key)
    }

    /// The moves so far, for a flow to check later whether it was overtaken.
    pub fn since(self) -> Since {
        MOVES.get()
    }

    /// A JavaScript `Error` with the translated text of `problem`, for a page's promise.
    pub fn js_error(self, problem: Problem) -> wasm_bindgen::JsValue {
        js_sys::Error::new(self.text(Text::for_problem(problem))).into()
    }

    /// Whether nobody but the flow that began at `since` changed the session since.
    pub fn session_unchanged_since(self, since: Since) -> bool {
        MOVES.get().session == since.session
    }

    /// Whether nobody moved the dialog since the flow that began at `since`.
    pub fn view_unchanged_since(self, since: Since) -> bool {
        MOVES.get().view == since.view
    }

    /// Counts a session change made outside the flows in flight.
    fn session_moved(self) {
        let now = MOVES.get();
        MOVES.set(Since {
            session: now.session + 1,
            ..now
        });
    }

    /// A move of the person or the page: applies `event`; flows begun earlier no longer change
    /// what the dialog shows.
    pub fn dispatch(self, event: Event) {
        self.count_move();
        self.apply(event);
    }

    /// Counts a move of the person or the page; returns the moment after it.
    fn count_move(self) -> Since {
        let now = MOVES.get();
        let after = Since {
            view: now.view + 1,
            ..now
        };
        MOVES.set(after);
        after
    }

    /// A flow's answer: applies `event` unless the person or the page moved the dialog since
    /// the flow began.
    pub fn settle(self, since: Since, event: Event) {
        if self.view_unchanged_since(since) {
            self.apply(event);
        }
    }

    /// Applies a modal event and mirrors the result to the page (`open`/`close` events).
    fn apply(self, event: Event) {
        let context = Context {
            logged_in: self.session.with_untracked(Option::is_some),
            signup_disabled: self
                .settings
                .with_untracked(|s| s.as_ref().is_some_and(|s| s.disable_signup)),
            needs_site_url: self.needs_site_url.get_untracked(),
        };
        let before = self.modal.get_untracked();
        let after = before.next(event, context);
        if after == before {
            return;
        }
        self.modal.set(after);
        bridge::modal_changed(after.page.legacy_name(), after.is_open, after.busy);
        if after.is_open && !before.is_open {
            bridge::emit("open", Some(after.page.legacy_name()));
            self.load_settings();
        } else if !after.is_open && before.is_open {
            bridge::emit("close", None);
        }
        if let Some(problem) = after.problem.filter(|_| after.problem != before.problem) {
            bridge::emit("error", Some(self.text(Text::for_problem(problem))));
        }
    }

    /// Shows a failure on the current page (keeping the form's input).
    pub fn fail(self, problem: Problem) {
        self.dispatch(Event::Failed(problem));
    }

    /// Fires `login` unless the page already knows of this session.
    fn announce_login(self) {
        if !self.set_announced(true) {
            bridge::emit("login", None);
        }
    }

    fn is_announced(self) -> bool {
        ANNOUNCED.get()
    }

    /// Sets whether the page knows of the session; returns what it was.
    fn set_announced(self, announced: bool) -> bool {
        ANNOUNCED.replace(announced)
    }

    /// Fires `logout` if the page was told of a login.
    fn announce_logout(self) {
        if self.set_announced(false) {
            bridge::emit("logout", None);
        }
    }
}
