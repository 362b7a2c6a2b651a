//! What the forms (and the page's API) do: each sends its request, moves the modal on, and
//! on failure leaves the form as it was with a message.

use super::{PendingLink, Since, Widget};
use crate::browser::{location, storage};
use crate::core::api::{self, Request, Settings, UserChange};
use crate::core::backend::Backend;
use crate::core::flow::{Event, Notice};
use crate::core::json::Value;
use crate::core::pkce;
use crate::core::problem::Problem;
use crate::core::site_url;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Waker};

/// How often a login waiting for the dialog's `/settings` looks again.
const SETTINGS_POLL_MS: i32 = 50;

impl Widget {
    /// Loads `/settings` once (on first open); a failure is shown and reported as the old
    /// widget's `Failed to load settings from …` error, which Decap CMS matches.
    pub fn load_settings(self) {
        if self.settings.with_untracked(Option::is_some)
            || self.settings_loading.get_value()
            || self.needs_site_url.get_untracked()
        {
            return;
        }
        spawn_local(async move {
            self.fetch_settings().await;
        });
    }

    async fn fetch_settings(self) -> Option<Settings> {
        self.settings_loading.set_value(true);
        let answer = self.call(Request::settings()).await;
        self.settings_loading.set_value(false);
        match answer {
            Ok(json) => {
                super::bridge::emit("settings", Some(&json.to_json()));
                let settings = Settings::from_json(&json);
                self.settings_failed.set(false);
                self.settings.set(Some(settings.clone()));
                Some(settings)
            }
            Err(_) => {
                self.settings_failed.set(true);
                // The old widget's words, untranslated: Decap CMS matches them.
                let url = self.api_url.get_untracked();
                let message = format!("Failed to load settings from {url}");
                super::bridge::emit("error", Some(&message));
                None
            }
        }
    }

    /// The server's flavour for a login: the `backend` option, else what `/settings` said
    /// (loaded now if it has not been), else netlify/gotrue.
    pub async fn backend(self) -> Backend {
        if let Some(backend) = self.options.with_value(|o| o.backend) {
            return backend;
        }
        if self.settings.with_untracked(Option::is_none) && !self.settings_loading.get_value() {
            self.fetch_settings().await;
        }
        // The dialog's own load may be under way: one request, waited for.
        while self.settings_loading.get_value() {
            crate::browser::sleep(SETTINGS_POLL_MS).await;
        }
        self.known_backend().unwrap_or_default()
    }

    /// The `backend` option, else what `/settings` said, if it has been loaded (reactive).
    pub fn known_backend(self) -> Option<Backend> {
        self.options
            .with_value(|o| o.backend)
            .or_else(|| self.settings.with(|s| s.as_ref().map(|s| s.backend)))
    }

    /// A request that mails a link for `purpose`. On supabase/auth the link brings the person
    /// back to this page (netlify/gotrue's go to the site's URL), with `flowType: 'pkce'`
    /// through a code only this browser can exchange (`core::pkce`).
    pub(super) async fn emailed_link(self, request: Request, purpose: pkce::Purpose) -> Request {
        if self.backend().await == Backend::Netlify {
            return request;
        }
        let page = location::page_url();
        if self.options.with_value(|o| o.pkce) {
            return super::pkce::with_challenge(request, purpose, page).await;
        }
        request.with_redirect(&page)
    }

    /// Runs a form's request: busy while it is in flight, the problem shown if it fails.
    /// `work` gets the moment the flow began, to check before each later step (`Since`).
    pub(super) fn submit<F>(self, work: impl FnOnce(Since) -> F)
    where
        F: Future<Output = Result<(), Problem>> + 'static,
    {
        let since = self.count_move();
        let work = work(since);
        self.start_flow(Box::pin(async move {
            if let Err(problem) = work.await {
                self.settle(since, Event::Failed(problem));
            }
        }));
    }

    /// Runs a form's flow, busy until it settles. Its first step runs now, so its request
    /// leaves in the click's own task; the busy state (the page told, the dialog redrawn)
    /// follows it instead of delaying it.
    fn start_flow(self, mut flow: Pin<Box<dyn Future<Output = ()>>>) {
        let first_step = flow.as_mut().poll(&mut Context::from_waker(Waker::noop()));
        if first_step.is_pending() {
            spawn_local(flow);
            self.apply(Event::Submit);
        }
    }

    /// The localhost prompt's answer: store it as the old widget does, use it, and announce
    /// `init` (which the loader held back until now).
    pub fn set_site_url(self, input: String) {
        let Some(site_url) = site_url::normalise(&input) else {
            self.fail(Problem::InvalidSiteUrl);
            return;
        };
        storage::set(site_url::STORAGE_KEY, &site_url);
        self.api_url.set(site_url::api_url(&site_url));
        self.dev_site_url.set(Some(site_url.clone()));
        self.needs_site_url.set(false);
        self.restore_session();
        super::bridge::emit("site_url", Some(&site_url::api_url(&site_url)));
        self.dispatch(Event::Navigate(crate::core::flow::Page::Login));
        self.load_settings();
    }

    /// On localhost: the stored site URL, if the API URL came from it (no `APIUrl` option).
    pub fn detect_dev_site_url(self) {
        let stored = storage::get(site_url::STORAGE_KEY).filter(|url| {
            location::is_localhost() && site_url::api_url(url) == self.api_url.get_untracked()
        });
        self.dev_site_url.set(stored);
    }

    /// "Clear localhost URL": forgets the site URL, and the session that belonged to it,
    /// and asks for a site URL again (the old widget's `clearSiteURL`).
    pub fn clear_site_url(self) {
        storage::remove(site_url::STORAGE_KEY);
        self.end_session();
        self.dev_site_url.set(None);
        self.settings.set(None);
        self.api_url.set(String::new());
        self.needs_site_url.set(true);
        super::bridge::emit("site_url", Some(""));
        self.dispatch(Event::Navigate(crate::core::flow::Page::SiteUrl));
    }

    pub fn log_in(self, email: String, password: String) {
        self.submit(move |since| async move {
            let backend = self.backend().await;
            let tokens = self
                .call(Request::login(
                    &email,
                    &password,
                    self.use_cookie(),
                    backend,
                ))
                .await?;
            self.log_in_with_tokens(tokens, true, since).await?;
            Ok(())
        });
    }

    pub fn sign_up(self, name: String, email: String, password: String) {
        self.submit(move |since| async move {
            // The page's metadata and extra fields (both kept in signup_metadata), the name,
            // and when consent was given (the checkbox is required, so now).
            let mut data = self.signup_metadata.get_untracked();
            data.set("full_name", Value::string(name));
            if self.options.with_value(|o| o.consent.is_some()) {
                data.remove(crate::ui::CONSENT_FIELD);
                data.set("consent_at", Value::string(crate::browser::now_iso()));
            }
            let request = self
                .emailed_link(
                    Request::signup(&email, &password, data),
                    pkce::Purpose::Signup,
                )
                .await;
            let answer = self.call(request).await?;
            if let Some(problem) = crate::core::problem::signup_refusal(&answer) {
                return Err(problem);
            }
            let autoconfirm = self
                .settings
                .with_untracked(|s| s.as_ref().is_some_and(|s| s.autoconfirm));
            if autoconfirm {
                let backend = self.backend().await;
                let tokens = self
                    .call(Request::login(
                        &email,
                        &password,
                        self.use_cookie(),
                        backend,
                    ))
                    .await?;
                self.log_in_with_tokens(tokens, true, since).await?;
                Ok(())
            } else {
                self.settle(since, Event::Show(Notice::ConfirmationSent));
                Ok(())
            }
        });
    }

    pub fn request_recovery(self, email: String) {
        self.submit(move |since| async move {
            let request = self
                .emailed_link(Request::recover(&email), pkce::Purpose::Recovery)
                .await;
            self.call(request).await?;
            self.settle(since, Event::Show(Notice::RecoverySent));
            Ok(())
        });
    }

    /// After a recovery link: the session already exists; set its password, then announce
    /// the login (unless the session ended or changed hands meanwhile).
    pub fn set_new_password(self, password: String) {
        self.submit(move |since| async move {
            self.change(UserChange::Password(password)).await?;
            if !self.session_unchanged_since(since) {
                return Ok(());
            }
            self.announce_login();
            self.settle(since, Event::LoggedIn);
            self.after_login(since);
            Ok(())
        });
    }

    /// Accepts an invite: `/verify` with the password logs the new user in; on supabase/auth,
    /// whose link already did, the password is set as after a recovery link.
    pub fn accept_invite(self, password: String) {
        let token = match self.pending.get_untracked() {
            PendingLink::Invite(token) => token,
            PendingLink::InvitedSession if self.session.with_untracked(Option::is_some) => {
                self.pending.set(PendingLink::None);
                return self.set_new_password(password);
            }
            _ => {
                self.fail(Problem::LinkInvalid);
                return;
            }
        };
        self.submit(move |since| async move {
            let tokens = self
                .call(Request::verify(
                    "signup",
                    &token,
                    Some(&password),
                    self.use_cookie(),
                ))
                .await?;
            self.pending.set(PendingLink::None);
            self.log_in_with_tokens(tokens, true, since).await?;
            Ok(())
        });
    }

    /// "Never mind" on the set-new-password page: nobody stays logged in.
    pub fn abandon_recovery(self) {
        spawn_local(self.log_out());
        self.dispatch(Event::Close);
    }

    /// Starts an external provider's login (a full-page navigation).
    pub fn log_in_with(self, provider: &str) {
        let invite = match self.pending.get_untracked() {
            PendingLink::Invite(token) => Some(token),
            _ => None,
        };
        location::assign(&api::authorize_url(
            &self.api_url.get_untracked(),
            provider,
            invite.as_deref(),
        ));
    }

    /// One change to the user's own account.
    pub async fn change(self, change: UserChange) -> Result<(), Problem> {
        self.update_user(change.to_json()).await
    }

    /// `PUT /user` with gotrue-js's attributes; stores the updated user. On supabase/auth (its
    /// token says), a new email's links come back to this page.
    pub async fn update_user(self, attributes: Value) -> Result<(), Problem> {
        let token = self.jwt(false).await?;
        let mut request = Request::update_user(&token, &attributes);
        if attributes.get("email").is_some() {
            request = self.emailed_link(request, pkce::Purpose::EmailChange).await;
        }
        let user = self.call(request).await?;
        self.set_user(&user)
    }

    /// Applies an email-change link that was waiting for a login; its outcome is shown unless
    /// the dialog was moved since `since`.
    pub async fn apply_pending_email_change(self, since: Since) {
        let PendingLink::EmailChange(token) = self.pending.get_untracked() else {
            return;
        };
        self.pending.set(PendingLink::None);
        let notice = match self.change(UserChange::EmailChangeToken(token)).await {
            Ok(()) => Notice::EmailChanged,
            Err(problem) => Notice::VerificationFailed(problem),
        };
        self.settle(since, Event::Show(notice));
    }
}
