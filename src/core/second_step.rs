//! supabase/auth's second step: an authenticator app's 6-digit code (TOTP). Which users need
//! it, when a session counts only after it (`aal2`), and its requests: setting an app up,
//! the code at login or before a guarded change, and removing it.

use super::api::{Body, Method, Operation, Request};
use super::fragment::percent_encode;
use super::json::Value;

/// One authenticator app of a user (`user.factors`, TOTP entries only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct App {
    pub id: String,
    pub name: String,
    /// Confirmed by a first code; an unverified one is a setup left halfway.
    pub verified: bool,
    /// RFC 3339, as the server writes it.
    pub created_at: String,
}

impl App {
    /// The user's authenticator apps, from the user object (`factors` is absent when empty).
    pub fn list_of(user: &Value) -> Vec<App> {
        factors_of(user)
            .iter()
            .filter(|factor| factor.str_of("factor_type") == Some("totp"))
            .filter_map(App::from_factor)
            .collect()
    }

    /// The user's confirmed app, which login asks a code of.
    pub fn verified_of(user: &Value) -> Option<App> {
        factors_of(user)
            .iter()
            .filter(|factor| is_confirmed_app(factor))
            .find_map(App::from_factor)
    }

    fn from_factor(factor: &Value) -> Option<App> {
        Some(App {
            id: factor.str_of("id")?.to_string(),
            name: factor
                .str_of("friendly_name")
                .unwrap_or_default()
                .to_string(),
            verified: factor.str_of("status") == Some("verified"),
            created_at: factor.str_of("created_at").unwrap_or_default().to_string(),
        })
    }
}

/// Whether a session of `user` with these access-token claims still needs the second step:
/// the user has a confirmed app and the token is not `aal2` yet. Read in place (every login
/// asks): no list is built.
pub fn needed(claims: &Value, user: &Value) -> bool {
    claims.str_of("aal") != Some("aal2") && factors_of(user).iter().any(is_confirmed_app)
}

/// `user.factors` (every kind), empty when absent.
fn factors_of(user: &Value) -> &[Value] {
    match user.get("factors") {
        Some(Value::Array(factors)) => factors,
        _ => &[],
    }
}

/// An authenticator app confirmed by a first code.
fn is_confirmed_app(factor: &Value) -> bool {
    factor.str_of("factor_type") == Some("totp") && factor.str_of("status") == Some("verified")
}

/// The digits of a code as typed (spaces and dashes allowed between them); `None` unless
/// they are exactly six.
pub fn code_of(typed: &str) -> Option<String> {
    let digits: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// What setting an app up shows: the QR code (SVG, shown only as an image) and the secret for
/// typing by hand, written in groups of four.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setup {
    pub app_id: String,
    pub qr_code_svg: String,
    pub secret: String,
}

impl Setup {
    /// Reads `POST /factors`' answer `{id, totp: {qr_code, secret, uri}}`.
    pub fn from_json(answer: &Value) -> Option<Setup> {
        let totp = answer.get("totp")?;
        Some(Setup {
            app_id: answer.str_of("id")?.to_string(),
            qr_code_svg: totp.str_of("qr_code")?.to_string(),
            secret: totp.str_of("secret")?.to_string(),
        })
    }

    /// The QR code as an image's address: the server's SVG markup is never inserted as HTML
    /// (an image runs no script and fetches nothing).
    pub fn qr_code_image(&self) -> String {
        format!(
            "data:image/svg+xml;charset=utf-8,{}",
            percent_encode(&self.qr_code_svg)
        )
    }

    /// The secret in groups of four characters, easier to type and to check.
    pub fn grouped_secret(&self) -> String {
        self.secret
            .as_bytes()
            .chunks(4)
            .map(|group| String::from_utf8_lossy(group).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The second step's requests, all with the user's current access token.
impl Request {
    /// Starts setting an app up; `name` tells the person's apps apart on the account page.
    pub fn add_app(access_token: &str, name: &str) -> Request {
        let body = Value::Object(vec![
            ("factor_type".into(), Value::string("totp")),
            ("friendly_name".into(), Value::string(name)),
        ]);
        second_step(Method::Post, "/factors".into(), body).with_bearer(access_token)
    }

    /// A challenge for `app`: its id goes with the code.
    pub fn app_challenge(access_token: &str, app: &str) -> Request {
        let path = format!("/factors/{app}/challenge");
        second_step(Method::Post, path, Value::Object(Vec::new())).with_bearer(access_token)
    }

    /// The code for `challenge`: a token response of `aal2` when it is right (its refresh
    /// token replaces the session's).
    pub fn app_code(access_token: &str, app: &str, challenge: &str, code: &str) -> Request {
        let body = Value::Object(vec![
            ("challenge_id".into(), Value::string(challenge)),
            ("code".into(), Value::string(code)),
        ]);
        second_step(Method::Post, format!("/factors/{app}/verify"), body).with_bearer(access_token)
    }

    /// Removes `app` (a confirmed one only from an `aal2` session).
    pub fn remove_app(access_token: &str, app: &str) -> Request {
        let path = format!("/factors/{app}");
        Request::new(Operation::SecondStep, Method::Delete, path, Body::Empty)
            .with_bearer(access_token)
    }
}

fn second_step(method: Method, path: String, body: Value) -> Request {
    Request::new(
        Operation::SecondStep,
        method,
        path,
        Body::Json(body.to_json()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER: &str = r#"{"id":"u1","factors":[{"id":"f0","status":"unverified","friendly_name":"Old phone","factor_type":"totp","created_at":"2026-12-01T08:00:00Z"},{"id":"f9","status":"verified","factor_type":"phone"},{"id":"f1","created_at":"2026-12-07T19:46:51.538336Z","status":"verified","friendly_name":"Phone","factor_type":"totp"}]}"#;

    #[test]
    fn a_users_apps_are_their_totp_factors() {
        let user = Value::parse(USER).unwrap();
        let apps = App::list_of(&user);
        assert_eq!(apps.len(), 2);
        assert_eq!(
            (apps[0].name.as_str(), apps[0].verified),
            ("Old phone", false)
        );
        assert_eq!(App::verified_of(&user).map(|app| app.id), Some("f1".into()));
        assert!(App::list_of(&Value::parse(r#"{"id":"u1"}"#).unwrap()).is_empty());
    }

    #[test]
    fn the_step_is_needed_until_the_token_is_aal2_for_a_user_with_a_confirmed_app() {
        let user = Value::parse(USER).unwrap();
        let aal1 = Value::parse(r#"{"aal":"aal1"}"#).unwrap();
        let aal2 = Value::parse(r#"{"aal":"aal2"}"#).unwrap();
        assert!(needed(&aal1, &user));
        assert!(!needed(&aal2, &user));
        // netlify/gotrue's tokens say nothing of it, and its users have no factors.
        assert!(!needed(
            &Value::Object(Vec::new()),
            &Value::parse(r#"{"id":"u1"}"#).unwrap()
        ));
        let halfway =
            Value::parse(r#"{"factors":[{"id":"f0","status":"unverified","factor_type":"totp"}]}"#)
                .unwrap();
        assert!(
            !needed(&aal1, &halfway),
            "a setup left halfway asks nothing"
        );
    }

    #[test]
    fn a_code_is_six_digits_however_it_was_spaced() {
        assert_eq!(code_of("123 456"), Some("123456".into()));
        assert_eq!(code_of(" 123-456 "), Some("123456".into()));
        assert_eq!(code_of("12345"), None);
        assert_eq!(code_of("1234567"), None);
        assert_eq!(code_of("12345a"), None);
        assert_eq!(
            code_of("١٢٣٤٥٦"),
            None,
            "other scripts' digits are not the app's"
        );
    }

    #[test]
    fn a_setup_is_its_id_qr_code_and_secret() {
        let answer = Value::parse(r#"{"id":"f1","type":"totp","friendly_name":"Phone","totp":{"qr_code":"<svg/>","secret":"FNE63EAZ6NON24AEDLPAOR4ARFPQIIE4","uri":"otpauth://totp/x"}}"#).unwrap();
        let setup = Setup::from_json(&answer).unwrap();
        assert_eq!(setup.app_id, "f1");
        assert_eq!(setup.qr_code_svg, "<svg/>");
        assert_eq!(
            setup.qr_code_image(),
            "data:image/svg+xml;charset=utf-8,%3Csvg%2F%3E"
        );
        assert_eq!(
            setup.grouped_secret(),
            "FNE6 3EAZ 6NON 24AE DLPA OR4A RFPQ IIE4"
        );
        assert_eq!(
            Setup::from_json(&Value::parse(r#"{"id":"f1"}"#).unwrap()),
            None
        );
    }

    #[test]
    fn the_requests_name_the_app_and_carry_the_token() {
        let add = Request::add_app("t", "Phone");
        assert_eq!((add.method, add.path.as_str()), (Method::Post, "/factors"));
        assert_eq!(
            add.body,
            Body::Json(r#"{"factor_type":"totp","friendly_name":"Phone"}"#.into())
        );
        assert_eq!(
            Request::app_challenge("t", "f1").path,
            "/factors/f1/challenge"
        );
        let code = Request::app_code("t", "f1", "c1", "123456");
        assert_eq!(code.path, "/factors/f1/verify");
        assert_eq!(
            code.body,
            Body::Json(r#"{"challenge_id":"c1","code":"123456"}"#.into())
        );
        assert_eq!(code.operation, Operation::SecondStep);
        let remove = Request::remove_app("t", "f1");
        assert_eq!(
            (remove.method, remove.bearer.as_deref()),
            (Method::Delete, Some("t"))
        );
    }
}
