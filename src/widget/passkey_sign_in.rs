//! Passkey sign-in where the server offers it (supabase/auth): the login page's button, and the
//! email field's autofill list where the browser has one. The server's challenge, the browser's
//! ceremony, the server's check of the answer, whose tokens log the person in as a password
//! does. All but `offers_passkeys` (which the login page asks) is reached only from the
//! `security` chunk (`ui::passkey`).

use super::{Since, Widget};
use crate::browser::passkey::{self, Ceremony};
use crate::core::api::Request;
use crate::core::flow::{Event, Page};
use crate::core::json::Value;
use crate::core::passkey::{ceremony_problem, Challenge};
use crate::core::problem::Problem;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::Cell;

thread_local! {
    /// The latest autofill offer's number, and whether it stands: an offer still waiting
    /// ends once a newer one exists.
    static AUTOFILL: Cell<(u32, bool)> = const { Cell::new((0, false)) };
}

/// When an autofill offer is renewed with a new challenge: supabase/auth's last 5 minutes
/// (`GOTRUE_WEBAUTHN_CHALLENGE_EXPIRY_DURATION`), and the browser's clock need not agree with
/// the server's `expires_at`. A shorter server setting costs one refused pick, then a renewal.
const AUTOFILL_RENEW_MS: i32 = 240_000;

impl Widget {
    /// Whether the server has passkeys (its settings say so once loaded). Reactive.
    pub fn server_has_passkeys(self) -> bool {
        self.settings
            .with(|s| s.as_ref().is_some_and(|s| s.passkeys))
    }

    /// Whether the login page offers passkeys: the server has them and this browser can use
    /// them with the server's JSON. Reactive.
    pub fn offers_passkeys(self) -> bool {
        self.server_has_passkeys() && passkey::usable()
    }

    /// "Sign in with a passkey": the browser asks the person to choose one; the server checks
    /// it. A cancelled or refused one says so and leaves the form as it was.
    pub fn sign_in_with_passkey(self) {
        self.submit(move |since| async move {
            let outcome = self.passkey_sign_in(since).await;
            if outcome.is_err() {
                self.sync_passkey_autofill(true);
            }
            outcome
        });
    }

    async fn passkey_sign_in(self, since: Since) -> Result<(), Problem> {
        let challenge = self.passkey_challenge().await?;
        let credential = passkey::run(Ceremony::SignIn, &challenge.options)
            .await
            .map_err(|name| ceremony_problem(&name))?;
        self.finish_passkey_sign_in(&challenge, &credential, since)
            .await
    }

    /// Offers the site's passkeys in the email field's autofill while the login page shows in
    /// the open dialog, and ends the offer (and any ceremony under way) otherwise. Reactive:
    /// the login page runs it in an effect. `renew`: a new offer even if one stands (the
    /// button's ceremony ended the last).
    pub fn sync_passkey_autofill(self, renew: bool) {
        let wanted = self.modal.with(|m| m.is_open && m.page == Page::Login);
        let (offer, standing) = AUTOFILL.with(Cell::get);
        if wanted && (renew || !standing) {
            let offer = offer.wrapping_add(1);
            AUTOFILL.with(|a| a.set((offer, true)));
            spawn_local(self.offer_autofill(offer));
        } else if !wanted && standing {
            self.stop_passkey_autofill();
        }
    }

    /// Ends the autofill offer, and any ceremony under way.
    pub fn stop_passkey_autofill(self) {
        AUTOFILL.with(|a| a.set((a.get().0.wrapping_add(1), false)));
        passkey::abort();
    }

    /// Offer `offer`, while it stands: a pick in the autofill list signs in (busy from then
    /// on, as a submitted form is); the challenge is renewed before it expires.
    async fn offer_autofill(self, offer: u32) {
        if !passkey::autofill_usable().await {
            return;
        }
        while self.autofill_stands(offer) {
            let Ok(challenge) = self.passkey_challenge().await else {
                return;
            };
            let offered =
                passkey::run_for(Ceremony::Autofill, &challenge.options, AUTOFILL_RENEW_MS);
            match offered.await {
                Err(name) if name == passkey::RENEWED => {}
                // The page moved on, or the button's ceremony took over.
                Err(_) => return,
                Ok(credential) if self.autofill_stands(offer) => {
                    self.dispatch(Event::Submit);
                    let since = self.since();
                    let signed_in = self.finish_passkey_sign_in(&challenge, &credential, since);
                    match signed_in.await {
                        Ok(()) => return,
                        Err(problem) => self.settle(since, Event::Failed(problem)),
                    }
                }
                Ok(_) => return,
            }
        }
    }

    fn autofill_stands(self, offer: u32) -> bool {
        AUTOFILL.with(Cell::get) == (offer, true)
            && self
                .modal
                .with_untracked(|m| m.is_open && m.page == Page::Login)
    }

    async fn passkey_challenge(self) -> Result<Challenge, Problem> {
        let answer = self.call(Request::passkey_sign_in_options()).await?;
        Challenge::from_json(&answer).ok_or(Problem::ServerError)
    }

    /// Sends the browser's assertion; the server's tokens log the person in.
    async fn finish_passkey_sign_in(
        self,
        challenge: &Challenge,
        credential: &str,
        since: Since,
    ) -> Result<(), Problem> {
        let credential = Value::parse(credential).map_err(|_| Problem::PasskeyCancelled)?;
        let tokens = self
            .call(Request::passkey_sign_in(&challenge.id, &credential))
            .await?;
        self.log_in_with_tokens(tokens, true, since).await?;
        Ok(())
    }
}
