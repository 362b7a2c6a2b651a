//! gotrue-js's client for the page (`netlifyIdentity.gotrue`, `new GoTrue()`): each call sends
//! what gotrue-js sends and resolves to what it resolves to. A remembered user becomes the
//! page's session without a `login` event, as with gotrue-js beside the old widget. The calls
//! run in the management chunk (`ui::manage`), as `user.admin`'s do: most pages never make one,
//! so the login dialog does not pay for them.

use super::chunk::ChunkFailure;
use super::Widget;
use crate::browser::{self, http};
use crate::core::api::Request;
use crate::core::backend::Backend;
use crate::core::client::{ClientCall, ClientOptions};
use crate::core::json::Value;
use crate::core::problem::{self, Problem};
use crate::core::session::Session;
use leptos::prelude::*;
use leptos::wasm_split::wasm_split;
use std::future::Future;
use std::pin::Pin;
use wasm_bindgen::JsValue;

/// Why a client call failed.
pub enum Failure {
    /// The server answered with this status and body (gotrue-js's `JSONHTTPError`).
    Refused { status: u16, body: String },
    /// No usable answer: offline, timed out, or not JSON.
    Problem(Problem),
    /// An unknown method, or arguments missing or of the wrong type.
    BadArguments,
}

impl From<Problem> for Failure {
    fn from(problem: Problem) -> Failure {
        Failure::Problem(problem)
    }
}

impl Failure {
    /// What the page's promise rejects with: gotrue-js's error for a refusal (`message` from the
    /// server, `status`, `json`), else a translated problem.
    fn into_js(self, widget: Widget, method: &str) -> JsValue {
        match self {
            Failure::Problem(problem) => widget.js_error(problem),
            Failure::BadArguments => {
                js_sys::Error::new(&format!("gotrue.{method}: missing or wrong arguments")).into()
            }
            Failure::Refused { status, body } => {
                let error = js_sys::Error::new(&crate::core::client::error_message(status, &body));
                let _ = js_sys::Reflect::set(&error, &"status".into(), &status.into());
                if let Ok(json) = js_sys::JSON::parse(&body) {
                    let _ = js_sys::Reflect::set(&error, &"json".into(), &json);
                }
                error.into()
            }
        }
    }
}

type Outcome = Pin<Box<dyn Future<Output = Result<String, JsValue>>>>;
type Runner = fn(Widget, String, String, String) -> Outcome;

/// The split point: what only this reaches goes into the chunk (the reading of the arguments
/// and the making of errors too: the login dialog does not pay for them).
#[wasm_split(manage, wasm_split_path = ::leptos::wasm_split, fallible)]
fn client_runner() -> Result<Runner, ChunkFailure> {
    Ok(|widget, options_json, method, args_json| {
        let options = ClientOptions::from_json(&Value::parse(&options_json).unwrap_or(Value::Null));
        let call = ClientCall::parse(&method, &Value::parse(&args_json).unwrap_or(Value::Null));
        Box::pin(async move {
            let outcome = match call {
                Some(call) => widget.run_client(options, call).await,
                None => Err(Failure::BadArguments),
            };
            outcome.map_err(|failure| failure.into_js(widget, &method))
        })
    })
}

/// Runs one client call (`options_json` is `{apiURL, audience, setCookie}`, `args_json` the
/// method's arguments), loading the chunk first if needed; resolves to JSON text: the server's
/// answer, or a user's record. Rejects with what the page's promise rejects with.
pub async fn run(
    widget: Widget,
    options_json: String,
    method: String,
    args_json: String,
) -> Result<String, JsValue> {
    let runner = client_runner()
        .await
        .map_err(|failure| failure.js_error(widget))?;
    runner(widget, options_json, method, args_json).await
}

async fn send(options: &ClientOptions, mut request: Request) -> Result<Value, Failure> {
    if !options.audience.is_empty() {
        request.audience = Some(options.audience.clone());
    }
    if !options.api_key.is_empty() {
        request.api_key = Some(options.api_key.clone());
    }
    let response = http::send(&options.api_url, &request).await?;
    if !(200..300).contains(&response.status) {
        return Err(Failure::Refused {
            status: response.status,
            body: response.body,
        });
    }
    if response.body.trim().is_empty() {
        return Ok(Value::Object(Vec::new()));
    }
    Ok(problem::parse_success(&response.body)?)
}

fn restore(record: &str) -> Result<Session, Failure> {
    Session::restore(record).ok_or(Failure::Problem(Problem::SessionEnded))
}

impl Widget {
    async fn run_client(
        self,
        mut options: ClientOptions,
        call: ClientCall,
    ) -> Result<String, Failure> {
        if options.api_url == self.api_url.get_untracked() {
            options.api_key = self
                .options
                .with_value(|o| o.api_key.clone())
                .unwrap_or_default();
        }
        // Only the password grant's body differs between the servers.
        let backend = if matches!(call, ClientCall::Login { .. }) {
            self.backend_of(&options).await
        } else {
            Backend::default()
        };
        if let Some(mut request) = call.first_request(&options, backend) {
            // A remembered user becomes the page's session, whose cookies the widget's mode
            // decides (`httpOnlyCookie`; a session that cannot be stored gets none).
            request.use_cookie &= self.use_cookie();
            let answer = send(&options, request).await?;
            let gives_tokens = matches!(call, ClientCall::Login { .. } | ClientCall::Verify { .. });
            return if gives_tokens {
                self.client_user(&options, answer, call.remember()).await
            } else {
                Ok(answer.to_json())
            };
        }
        let now = browser::now_ms();
        match call {
            ClientCall::CreateUser { tokens, remember } => {
                self.client_user(&options, tokens, remember).await
            }
            ClientCall::UserJwt { record, force } => {
                let mut session = restore(&record)?;
                if force || session.needs_refresh(now) {
                    let refresh_token = session.refresh_token().ok_or(Problem::SessionEnded)?;
                    let request = Request::refresh(refresh_token, false, session.backend());
                    let tokens = send(&options, request).await?;
                    session
                        .set_tokens(&tokens, now)
                        .ok_or(Problem::ServerError)?;
                }
                Ok(session.to_stored())
            }
            ClientCall::UserReload { record } => {
                let mut session = restore(&record)?;
                let user = send(&options, Request::get_user(session.access_token())).await?;
                session.set_user(&user).ok_or(Problem::ServerError)?;
                Ok(session.to_stored())
            }
            ClientCall::UserUpdate { record, attributes } => {
                let mut session = restore(&record)?;
                let request = Request::update_user(session.access_token(), &attributes);
                session
                    .set_user(&send(&options, request).await?)
                    .ok_or(Problem::ServerError)?;
                Ok(session.to_stored())
            }
            ClientCall::UserLogout { record } => {
                let session = restore(&record)?;
                send(&options, Request::logout(session.access_token())).await?;
                Ok("{}".into())
            }
            // Answered above: these start with a request.
            ClientCall::Settings
            | ClientCall::Signup { .. }
            | ClientCall::RequestPasswordRecovery { .. }
            | ClientCall::Login { .. }
            | ClientCall::Verify { .. } => Err(Failure::Problem(Problem::ServerError)),
        }
    }

    /// The flavour of a client's server: the widget's own when it is the widget's API, else
    /// what that server's `/settings` says.
    async fn backend_of(self, options: &ClientOptions) -> Backend {
        if options.api_url == self.api_url.get_untracked() {
            return self.backend().await;
        }
        match send(options, Request::settings()).await {
            Ok(settings) => Backend::from_settings(&settings),
            Err(_) => Backend::default(),
        }
    }

    /// gotrue-js's `createUser`: the user of a token response; remembered, the page's session.
    async fn client_user(
        self,
        options: &ClientOptions,
        tokens: Value,
        remember: bool,
    ) -> Result<String, Failure> {
        let access_token = tokens.str_of("access_token").ok_or(Problem::ServerError)?;
        let session = send(options, Request::get_user(access_token))
            .await
            .and_then(|user| {
                let now = browser::now_ms();
                Session::new(&tokens, &user, &options.api_url, &options.audience, now)
                    .ok_or(Failure::Problem(Problem::ServerError))
            });
        let session = match session {
            Ok(session) => session,
            Err(failure) => {
                // A remembered login's answer may have set the server's cookie.
                if remember {
                    self.resync_server_cookie();
                }
                return Err(failure);
            }
        };
        if remember && session.needs_second_step() {
            // The page's session too counts only after the authenticator app's code.
            self.ask_for_second_step(session.clone(), true, self.since());
        } else if remember {
            self.take_session(&session);
        }
        Ok(session.to_stored())
    }
}
