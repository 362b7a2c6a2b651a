//! What the account page does with passkeys and the authenticator app (supabase/auth), and an
//! administrator's view of a user's passkeys. Reached only from the `account_security` chunk
//! (`ui::account_security`). Once the user has a confirmed app, the server guards these steps
//! with `aal2`: a session without it is asked for the app's code first (`ask_for_code_first`).

use super::{Since, Widget};
use crate::browser::passkey::{self, Ceremony};
use crate::core::api::{Request, UserChange};
use crate::core::json::Value;
use crate::core::passkey::{ceremony_problem, valid_name, Challenge, Passkey};
use crate::core::problem::Problem;
use crate::core::second_step::{App, Setup};
use leptos::prelude::*;

/// The name an app is set up under: the server keeps it, the account page shows it.
const APP_NAME: &str = "Authenticator app";

impl Widget {
    /// The logged-in user's passkeys, oldest first.
    pub async fn passkeys(self) -> Result<Vec<Passkey>, Problem> {
        let token = self.jwt(false).await?;
        let answer = self.guarded(Request::passkeys(&token)).await?;
        Ok(Passkey::list_from_json(&answer))
    }

    /// Creates a passkey on this device for the logged-in account; the server names it.
    pub async fn add_passkey(self) -> Result<(), Problem> {
        let token = self.jwt(false).await?;
        let options = self.guarded(Request::passkey_add_options(&token)).await?;
        let challenge = Challenge::from_json(&options).ok_or(Problem::ServerError)?;
        let credential = passkey::run(Ceremony::Add, &challenge.options)
            .await
            .map_err(|name| ceremony_problem(&name))?;
        let credential = Value::parse(&credential).map_err(|_| Problem::PasskeyCancelled)?;
        self.guarded(Request::passkey_add(&token, &challenge.id, &credential))
            .await?;
        Ok(())
    }

    pub async fn rename_passkey(self, id: String, typed: String) -> Result<(), Problem> {
        let name = valid_name(&typed).ok_or(Problem::PasskeyNameInvalid)?;
        let token = self.jwt(false).await?;
        self.guarded(Request::rename_passkey(&token, &id, name))
            .await?;
        Ok(())
    }

    pub async fn remove_passkey(self, id: String) -> Result<(), Problem> {
        let token = self.jwt(false).await?;
        self.guarded(Request::remove_passkey(&token, &id)).await?;
        Ok(())
    }

    /// An administrator's view of `user`'s passkeys.
    pub async fn user_passkeys(self, user: String) -> Result<Vec<Passkey>, Problem> {
        let token = self.jwt(false).await?;
        let answer = self.call(Request::user_passkeys(&token, &user)).await?;
        Ok(Passkey::list_from_json(&answer))
    }

    pub async fn remove_user_passkey(self, user: String, id: String) -> Result<(), Problem> {
        let token = self.jwt(false).await?;
        self.call(Request::remove_user_passkey(&token, &user, &id))
            .await?;
        Ok(())
    }

    /// Starts setting an app up: what the person scans or types into it. A setup left halfway
    /// (here or elsewhere) is removed first: it holds the name, and confirms nothing.
    pub async fn start_app_setup(self) -> Result<Setup, Problem> {
        let token = self.jwt(false).await?;
        let user = self.reload_user(&token).await?;
        if App::verified_of(&user).is_some() {
            return Err(Problem::AppAlreadySetUp);
        }
        for halfway in App::list_of(&user).into_iter().filter(|app| !app.verified) {
            self.call(Request::remove_app(&token, &halfway.id)).await?;
        }
        let answer = self.guarded(Request::add_app(&token, APP_NAME)).await?;
        Setup::from_json(&answer).ok_or(Problem::ServerError)
    }

    /// Confirms the app with its first code. The server's answer is an `aal2` session (with a
    /// new refresh token), kept as the login's own.
    pub async fn confirm_app(self, app: String, typed: String) -> Result<(), Problem> {
        let token = self.jwt(false).await?;
        let tokens = self.tokens_for_app_code(&token, &app, &typed).await?;
        self.log_in_with_tokens(tokens, false, self.since()).await?;
        Ok(())
    }

    /// Removes the app (a setup left halfway too): logins no longer ask for a code.
    pub async fn remove_app(self, app: String) -> Result<(), Problem> {
        let token = self.jwt(false).await?;
        self.guarded(Request::remove_app(&token, &app)).await?;
        self.reload_user(&token).await?;
        Ok(())
    }

    /// The user as the server has it now (factors added or removed elsewhere), stored.
    async fn reload_user(self, token: &str) -> Result<Value, Problem> {
        let user = self.call(Request::get_user(token)).await?;
        self.set_user(&user)?;
        Ok(user)
    }

    /// Sends a request the server may guard with `aal2`: refused for want of it, the dialog
    /// asks for the app's code, then comes back here.
    async fn guarded(self, request: Request) -> Result<Value, Problem> {
        let since = self.since();
        let outcome = self.call(request).await;
        self.ask_for_code_if(outcome == Err(Problem::SecondStepNeeded), since)
            .await;
        outcome
    }

    /// An email or password change, which the server guards as [`Widget::guarded`] says.
    pub async fn change_guarded(self, change: UserChange) -> Result<(), Problem> {
        let since = self.since();
        let outcome = self.change(change).await;
        self.ask_for_code_if(outcome == Err(Problem::SecondStepNeeded), since)
            .await;
        outcome
    }

    /// If a step was `refused` for want of `aal2`: the app's code for the logged-in session,
    /// then the page the person was on — unless they moved the dialog since the step began
    /// at `since`. The user is read again first: the app may have been set up elsewhere,
    /// after this session began.
    async fn ask_for_code_if(self, refused: bool, since: Since) {
        if !refused {
            return;
        }
        let Ok(token) = self.jwt(false).await else {
            return;
        };
        if self.reload_user(&token).await.is_err() {
            return;
        }
        if let Some(session) = self.session.get_untracked() {
            self.ask_for_second_step(session, false, since);
        }
    }
}
