//! Finishing the link the page was opened with (`#confirmation_token=…` and friends).

use super::{PendingLink, Since, Widget};
use crate::browser::location;
use crate::core::api::Request;
use crate::core::flow::{Event, Notice, Page};
use crate::core::fragment::{LinkAction, TokensPurpose};
use crate::core::json::Value;
use crate::core::problem::Problem;
use leptos::prelude::*;
use leptos::task::spawn_local;

impl Widget {
    /// Finishes the flow of `hash`, the fragment the page was opened with, removing it from
    /// the URL if the loader has not already.
    pub fn handle_link(self, hash: &str) {
        let Some(action) = LinkAction::from_fragment(hash) else {
            return;
        };
        location::clear_hash_if(hash);
        self.finish_link_action(action);
    }

    /// Finishes what a link asks for.
    pub(super) fn finish_link_action(self, action: LinkAction) {
        match action {
            LinkAction::Confirm { token } => self.verify_link("signup", token, true),
            LinkAction::Recover { token } => {
                // The new-password field is ready at once; its submit waits for the check.
                self.dispatch(Event::Open(Page::SetNewPassword));
                self.verify_link("recovery", token, false);
            }
            LinkAction::Invite { token } => {
                // The old widget's `store.invite_token`, which some pages read.
                super::bridge::emit("invite_token", Some(&token));
                self.pending.set(PendingLink::Invite(token));
                self.dispatch(Event::Open(Page::AcceptInvite));
            }
            LinkAction::EmailChange { token } => {
                self.pending.set(PendingLink::EmailChange(token));
                if self.session.with_untracked(Option::is_some) {
                    spawn_local(self.apply_pending_email_change(self.since()));
                } else {
                    self.dispatch(Event::Open(Page::Login));
                }
            }
            LinkAction::ExternalLogin(tokens) => {
                let purpose = tokens.purpose;
                let response = Value::Object(vec![
                    ("access_token".into(), Value::string(tokens.access_token)),
                    ("token_type".into(), Value::string(tokens.token_type)),
                    ("expires_in".into(), Value::number(tokens.expires_in)),
                    ("refresh_token".into(), Value::string(tokens.refresh_token)),
                ]);
                match purpose {
                    // An email change's second link logs in as the new address.
                    TokensPurpose::Login | TokensPurpose::EmailChange => {
                        self.with_progress(move |since| async move {
                            let since = self.log_in_with_tokens(response, true, since).await?;
                            if let (Some(since), TokensPurpose::EmailChange) = (since, purpose) {
                                self.settle(since, Event::Show(Notice::EmailChanged));
                            }
                            Ok(())
                        })
                    }
                    // supabase/auth verified the link itself: what follows is as on netlify.
                    TokensPurpose::Signup => self.finish_link(async { Ok(response) }, true),
                    TokensPurpose::Recovery => {
                        self.dispatch(Event::Open(Page::SetNewPassword));
                        self.finish_link(async { Ok(response) }, false);
                    }
                    // The login counts once the invited person has chosen a password.
                    TokensPurpose::Invite => {
                        self.pending.set(PendingLink::InvitedSession);
                        self.dispatch(Event::Open(Page::AcceptInvite));
                        self.with_progress(move |since| async move {
                            self.log_in_with_tokens(response, false, since).await?;
                            Ok(())
                        });
                    }
                }
            }
            LinkAction::PkceCode => spawn_local(super::pkce::exchange_link_code(self)),
            LinkAction::EmailChangeHalfway => {
                self.dispatch(Event::Show(Notice::EmailChangeHalfway))
            }
            // An external provider refused a signup GoTrue does not allow (no invite): the
            // old widget opened the signup page; it also says why.
            LinkAction::Error {
                error, description, ..
            } if error == "access_denied" && description == "403" => {
                self.dispatch(Event::Open(Page::Signup));
                self.fail(Problem::SignupDisabled);
            }
            LinkAction::Error {
                error,
                description,
                code,
            } => {
                let problem = match (error.as_str(), code.as_str()) {
                    // supabase/auth: a used or outdated emailed link.
                    (_, "otp_expired") => Problem::LinkExpired,
                    ("access_denied", _) => Problem::NotAllowed,
                    _ => Problem::ServerError,
                };
                // The server's own words, shown as text under our translated message.
                self.link_detail.set(Some(if description.is_empty() {
                    error
                } else {
                    description
                }));
                self.dispatch(Event::Show(Notice::VerificationFailed(problem)));
            }
        }
    }

    /// `POST /verify`, then log in (see [`Widget::finish_link`]).
    fn verify_link(self, kind: &'static str, token: String, is_confirmation: bool) {
        let request = Request::verify(kind, &token, None, self.use_cookie());
        self.finish_link(self.call(request), is_confirmation);
    }

    /// Logs in with a link's `tokens`. A confirmation shows the user page; a recovery asks for
    /// the new password before the login is announced.
    fn finish_link(
        self,
        tokens: impl std::future::Future<Output = Result<Value, Problem>> + 'static,
        is_confirmation: bool,
    ) {
        self.with_progress(move |since| async move {
            let tokens = tokens.await?;
            let Some(since) = self
                .log_in_with_tokens(tokens, is_confirmation, since)
                .await?
            else {
                return Ok(());
            };
            let leaves = self.options.with_value(|o| o.leaves_after_login());
            if is_confirmation && !leaves {
                self.settle(since, Event::Show(Notice::SignupConfirmed));
            } else if !is_confirmation {
                self.settle(since, Event::Open(Page::SetNewPassword));
            }
            Ok(())
        });
    }

    /// Shows "checking your link" while the flow `work` runs; a failure becomes the
    /// link-failed notice, unless the dialog was moved meanwhile.
    pub(super) fn with_progress<F>(self, work: impl FnOnce(Since) -> F)
    where
        F: std::future::Future<Output = Result<(), Problem>> + 'static,
    {
        self.verifying.set(true);
        let since = self.since();
        let work = work(since);
        spawn_local(async move {
            let outcome = work.await;
            self.verifying.set(false);
            if let Err(problem) = outcome {
                self.settle(since, Event::Show(Notice::VerificationFailed(problem)));
            }
        });
    }
}
