//! gotrue-js's client (`netlifyIdentity.gotrue`, `new GoTrue(options)`) as plain data: the
//! calls the page can make, their arguments read from JSON, the first request each sends,
//! and the error message gotrue-js gives a refused request.

use super::api::Request;
use super::backend::Backend;
use super::json::Value;

/// `new GoTrue({APIUrl, audience, setCookie})`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientOptions {
    /// The API root, without a trailing slash.
    pub api_url: String,
    /// Sent as `X-JWT-AUD` when not empty. Defaults to empty.
    pub audience: String,
    /// Ask GoTrue for the `nf_jwt` cookie on remembered logins. Defaults to false.
    pub set_cookie: bool,
    /// Sent as `apikey` when not empty (hosted Supabase): the widget's `apiKey` for a client
    /// of the widget's own API. Defaults to empty.
    pub api_key: String,
}

impl ClientOptions {
    /// Reads `{"apiURL", "audience", "setCookie"}`; missing members take their defaults.
    pub fn from_json(options: &Value) -> ClientOptions {
        ClientOptions {
            api_url: options
                .str_of("apiURL")
                .unwrap_or_default()
                .trim_end_matches('/')
                .to_string(),
            audience: options.str_of("audience").unwrap_or_default().to_string(),
            set_cookie: options.get("setCookie") == Some(&Value::Bool(true)),
            api_key: String::new(),
        }
    }
}

/// One client call. `remember` keeps the user as the page's session (gotrue-js's
/// `_saveSession`); a user not remembered lives only in the object returned.
#[derive(Clone, Debug, PartialEq)]
pub enum ClientCall {
    Settings,
    Signup {
        email: String,
        password: String,
        data: Value,
    },
    RequestPasswordRecovery {
        email: String,
    },
    Login {
        email: String,
        password: String,
        remember: bool,
    },
    /// `confirm`, `recover`, `verify` and `acceptInvite`: `POST /verify`, then the user.
    Verify {
        kind: String,
        token: String,
        password: Option<String>,
        remember: bool,
    },
    /// A token response turned into a user (`GET /user`).
    CreateUser {
        tokens: Value,
        remember: bool,
    },
    /// The methods of a user that is not the page's session act on its own record.
    UserJwt {
        record: String,
        force: bool,
    },
    UserReload {
        record: String,
    },
    UserUpdate {
        record: String,
        attributes: Value,
    },
    UserLogout {
        record: String,
    },
}

impl ClientCall {
    /// The call `method` with its arguments (a JSON array, in gotrue-js's order), or `None`
    /// for an unknown method or a missing required argument.
    pub fn parse(method: &str, args: &Value) -> Option<ClientCall> {
        let items: &[Value] = match args {
            Value::Array(items) => items,
            _ => &[],
        };
        let text = |i: usize| items.get(i).and_then(Value::as_str).map(str::to_string);
        let flag = |i: usize| items.get(i) == Some(&Value::Bool(true));
        let verify = |kind: &str, token: Option<String>, remember: bool| {
            Some(ClientCall::Verify {
                kind: kind.to_string(),
                token: token?,
                password: None,
                remember,
            })
        };
        match method {
            "settings" => Some(ClientCall::Settings),
            "signup" => Some(ClientCall::Signup {
                email: text(0)?,
                password: text(1)?,
                data: match items.get(2) {
                    Some(data @ Value::Object(_)) => data.clone(),
                    _ => Value::Object(Vec::new()),
                },
            }),
            "requestPasswordRecovery" => {
                Some(ClientCall::RequestPasswordRecovery { email: text(0)? })
            }
            "login" => Some(ClientCall::Login {
                email: text(0)?,
                password: text(1)?,
                remember: flag(2),
            }),
            "confirm" => verify("signup", text(0), flag(1)),
            "recover" => verify("recovery", text(0), flag(1)),
            "verify" => verify(&text(0)?, text(1), flag(2)),
            "acceptInvite" => Some(ClientCall::Verify {
                kind: "signup".into(),
                token: text(0)?,
                password: Some(text(1)?),
                remember: flag(2),
            }),
            "createUser" => Some(ClientCall::CreateUser {
                tokens: items
                    .first()
                    .filter(|t| t.str_of("access_token").is_some())?
                    .clone(),
                remember: flag(1),
            }),
            "userJwt" => Some(ClientCall::UserJwt {
                record: text(0)?,
                force: flag(1),
            }),
            "userReload" => Some(ClientCall::UserReload { record: text(0)? }),
            "userUpdate" => Some(ClientCall::UserUpdate {
                record: text(0)?,
                attributes: items
                    .get(1)
                    .filter(|a| matches!(a, Value::Object(_)))?
                    .clone(),
            }),
            "userLogout" => Some(ClientCall::UserLogout { record: text(0)? }),
            _ => None,
        }
    }

    /// Whether the result is a user who becomes the page's session.
    pub fn remember(&self) -> bool {
        match self {
            ClientCall::Login { remember, .. }
            | ClientCall::Verify { remember, .. }
            | ClientCall::CreateUser { remember, .. } => *remember,
            _ => false,
        }
    }

    /// The first request of the calls that start with one (the others act on a user record),
    /// in `backend`'s bodies.
    pub fn first_request(&self, options: &ClientOptions, backend: Backend) -> Option<Request> {
        let use_cookie = options.set_cookie && self.remember();
        Some(match self {
            ClientCall::Settings => Request::settings(),
            ClientCall::Signup {
                email,
                password,
                data,
            } => Request::signup(email, password, data.clone()),
            ClientCall::RequestPasswordRecovery { email } => Request::recover(email),
            ClientCall::Login {
                email, password, ..
            } => Request::login(email, password, use_cookie, backend),
            ClientCall::Verify {
                kind,
                token,
                password,
                ..
            } => Request::verify(kind, token, password.as_deref(), use_cookie),
            _ => return None,
        })
    }
}

/// gotrue-js's message for a refused request: the body's `msg` (supabase: `message`), else
/// `"error: error_description"`, else the status.
pub fn error_message(status: u16, body: &str) -> String {
    let parsed = Value::parse(body).unwrap_or(Value::Null);
    if let Some(msg) = parsed.str_of("msg").or_else(|| parsed.str_of("message")) {
        return msg.to_string();
    }
    match (parsed.str_of("error"), parsed.str_of("error_description")) {
        (Some(error), Some(description)) => format!("{error}: {description}"),
        (Some(error), None) => error.to_string(),
        _ => format!("Request failed with status {status}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::api::{Body, Operation};

    fn parse(method: &str, args: &str) -> Option<ClientCall> {
        ClientCall::parse(method, &Value::parse(args).unwrap())
    }

    #[test]
    fn gotrue_js_methods_read_their_arguments_in_order() {
        assert_eq!(
            parse("login", r#"["a@b.c","pw",true]"#),
            Some(ClientCall::Login {
                email: "a@b.c".into(),
                password: "pw".into(),
                remember: true
            })
        );
        assert_eq!(
            parse("recover", r#"["tok"]"#),
            Some(ClientCall::Verify {
                kind: "recovery".into(),
                token: "tok".into(),
                password: None,
                remember: false
            })
        );
        assert_eq!(
            parse("verify", r#"["email_change","tok",true]"#).map(|c| c.remember()),
            Some(true)
        );
        let invite = parse("acceptInvite", r#"["tok","secret",true]"#).unwrap();
        assert!(
            matches!(invite, ClientCall::Verify { ref kind, password: Some(ref p), .. } if kind == "signup" && p == "secret")
        );
        let signup = parse("signup", r#"["a@b.c","pw",null]"#).unwrap();
        assert_eq!(
            signup,
            ClientCall::Signup {
                email: "a@b.c".into(),
                password: "pw".into(),
                data: Value::Object(vec![])
            }
        );
    }

    #[test]
    fn missing_arguments_and_unknown_methods_are_refused() {
        assert_eq!(parse("login", r#"["a@b.c"]"#), None);
        assert_eq!(parse("createUser", r#"[{"token_type":"bearer"}]"#), None);
        assert_eq!(parse("userUpdate", r#"["{}", "not an object"]"#), None);
        assert_eq!(parse("deleteEverything", "[]"), None);
        assert_eq!(parse("confirm", "{}"), None);
    }

    #[test]
    fn the_cookie_is_asked_for_only_on_remembered_logins_with_set_cookie() {
        let options = ClientOptions::from_json(
            &Value::parse(r#"{"apiURL":"/id/","setCookie":true}"#).unwrap(),
        );
        assert_eq!(options.api_url, "/id");
        let remembered = parse("login", r#"["a@b.c","pw",true]"#).unwrap();
        let once = parse("login", r#"["a@b.c","pw"]"#).unwrap();
        assert!(
            remembered
                .first_request(&options, Backend::Netlify)
                .unwrap()
                .use_cookie
        );
        assert!(
            !once
                .first_request(&options, Backend::Netlify)
                .unwrap()
                .use_cookie
        );
        let plain = ClientOptions::default();
        assert!(
            !remembered
                .first_request(&plain, Backend::Netlify)
                .unwrap()
                .use_cookie
        );
        let verify = parse("confirm", r#"["tok",true]"#)
            .unwrap()
            .first_request(&options, Backend::Netlify)
            .unwrap();
        assert_eq!(verify.operation, Operation::Verify);
        assert_eq!(
            verify.body,
            Body::Json(r#"{"token":"tok","type":"signup"}"#.into())
        );
    }

    #[test]
    fn refusals_read_as_gotrue_js_reports_them() {
        assert_eq!(
            error_message(400, r#"{"code":400,"msg":"Email not confirmed"}"#),
            "Email not confirmed"
        );
        assert_eq!(
            error_message(
                400,
                r#"{"error":"invalid_grant","error_description":"No user found"}"#
            ),
            "invalid_grant: No user found"
        );
        assert_eq!(
            error_message(502, "<html>Bad gateway</html>"),
            "Request failed with status 502"
        );
    }
}
