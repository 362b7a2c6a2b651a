//! Passwordless sign-in where the server has it (supabase/auth): a mail with a link, which logs
//! in as any emailed link does (`links.rs`), and a 6-digit code the person may type instead.

use super::Widget;
use crate::core::api::Request;
use crate::core::backend::Backend;
use crate::core::flow::{Event, Page};
use crate::core::pkce;
use crate::core::problem::Problem;
use leptos::prelude::*;

impl Widget {
    /// Whether the server offers passwordless sign-in: the `backend` option, else what
    /// `/settings` said (nothing while it is unknown). Reactive.
    pub fn offers_sign_in_link(self) -> bool {
        self.known_backend() == Some(Backend::Supabase)
    }

    /// Mails `email` a sign-in link and code, then asks for the code. The link brings the
    /// person back to this page.
    pub fn send_sign_in_link(self, email: String) {
        self.submit(move |since| async move {
            let request = self
                .emailed_link(Request::sign_in_link(&email), pkce::Purpose::SignInLink)
                .await;
            self.call(request).await?;
            self.sign_in_email.set(email);
            self.settle(since, Event::Navigate(Page::SignInCode));
            Ok(())
        });
    }

    /// Logs in with the mailed code. The server says only that a code is wrong or expired.
    pub fn log_in_with_code(self, code: String) {
        let email = self.sign_in_email.get_untracked();
        self.submit(move |since| async move {
            let tokens = self
                .call(Request::verify_code(&email, code.trim()))
                .await
                .map_err(|problem| match problem {
                    Problem::LinkExpired | Problem::LinkInvalid => Problem::CodeRefused,
                    other => other,
                })?;
            self.log_in_with_tokens(tokens, true, since).await?;
            Ok(())
        });
    }
}
