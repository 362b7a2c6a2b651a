//! A login's second step (supabase/auth): the code of the person's authenticator app turns
//! the waiting `aal1` session (`PendingStep`) into an `aal2` one, which then logs in as any
//! login does. Reached only from the `security` chunk (`ui::security`).

use super::Widget;
use crate::core::api::Request;
use crate::core::flow::{Event, Page};
use crate::core::json::Value;
use crate::core::problem::Problem;
use crate::core::second_step::{code_of, App};
use leptos::prelude::*;

impl Widget {
    /// Sends the typed code: a challenge for the user's app, then the code. A wrong or
    /// expired code says so and can be typed again; the waiting login stays.
    pub fn verify_app_code(self, typed: String) {
        self.submit(move |since| async move {
            let pending = self.pending_step().ok_or(Problem::SessionEnded)?;
            let app = App::verified_of(pending.session.record()).ok_or(Problem::SessionEnded)?;
            let token = pending.session.access_token();
            let tokens = self.tokens_for_app_code(token, &app.id, &typed).await?;
            // Another login or a cancel meanwhile: this one is over.
            if self.pending_step().as_ref() != Some(&pending) {
                return Ok(());
            }
            self.set_pending_step(None);
            let logged_in = self
                .log_in_with_tokens(tokens, pending.announce, since)
                .await?;
            if let (Some(since), false) = (logged_in, pending.announce) {
                self.settle(since, Event::Navigate(pending.resume));
            }
            Ok(())
        });
    }

    /// The tokens the code `typed` (spaces and dashes allowed) gives the session of `token`:
    /// a challenge for `app`, then the code. Confirming a new app is the same two requests.
    pub(super) async fn tokens_for_app_code(
        self,
        token: &str,
        app: &str,
        typed: &str,
    ) -> Result<Value, Problem> {
        let code = code_of(typed).ok_or(Problem::AppCodeWrong)?;
        let challenge = self.call(Request::app_challenge(token, app)).await?;
        let challenge = challenge.str_of("id").ok_or(Problem::ServerError)?;
        self.call(Request::app_code(token, app, challenge, &code))
            .await
    }

    /// "Never mind": the waiting login is dropped; the login page shows. A logged-in person
    /// asked for the code before a guarded step goes back to where they were.
    pub fn abandon_second_step(self) {
        let pending = self.pending_step();
        self.set_pending_step(None);
        let logged_in = self.session.with_untracked(|current| {
            current.as_ref().map(|c| c.user_id()) == pending.as_ref().map(|p| p.session.user_id())
        });
        let page = match pending {
            Some(pending) if logged_in => pending.resume,
            _ => Page::Login,
        };
        self.dispatch(Event::Navigate(page));
    }
}
