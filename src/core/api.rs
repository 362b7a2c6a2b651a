//! GoTrue requests as plain data, and responses mapped to what the widget tells the user.
//! The browser layer sends a [`Request`] and hands back status and body text.

use super::fragment::percent_encode;
use super::json::Value;

/// An HTTP method GoTrue uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// A request body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    Empty,
    Json(String),
    Form(String),
}

impl Body {
    pub fn content_type(&self) -> Option<&'static str> {
        match self {
            Body::Empty => None,
            Body::Json(_) => Some("application/json"),
            Body::Form(_) => Some("application/x-www-form-urlencoded"),
        }
    }
}

/// What an operation is; errors are mapped per operation, since GoTrue reuses statuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    Settings,
    Signup,
    Login,
    Refresh,
    Recover,
    Verify,
    GetUser,
    UpdateUser,
    Logout,
    /// Any `/admin/*` or `/invite` call.
    Admin,
}

/// One call to the GoTrue API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub operation: Operation,
    pub method: Method,
    /// Path (and query) below the API URL, starting with `/`.
    pub path: String,
    pub body: Body,
    /// The access token for `Authorization: Bearer`.
    pub bearer: Option<String>,
    /// Ask GoTrue to set the `nf_jwt` cookie (`X-Use-Cookie: 1`).
    pub use_cookie: bool,
    /// The token audience to ask for (`X-JWT-AUD`), set by gotrue-js clients.
    pub audience: Option<String>,
}

impl Request {
    pub(crate) fn new(
        operation: Operation,
        method: Method,
        path: impl Into<String>,
        body: Body,
    ) -> Request {
        Request {
            operation,
            method,
            path: path.into(),
            body,
            bearer: None,
            use_cookie: false,
            audience: None,
        }
    }

    pub(crate) fn json(
        operation: Operation,
        path: &'static str,
        members: Vec<(&str, Value)>,
    ) -> Request {
        let object = Value::Object(
            members
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
        );
        Request::new(operation, Method::Post, path, Body::Json(object.to_json()))
    }

    pub(crate) fn with_bearer(mut self, access_token: &str) -> Request {
        self.bearer = Some(access_token.to_string());
        self
    }

    fn with_cookie(mut self, use_cookie: bool) -> Request {
        self.use_cookie = use_cookie;
        self
    }

    pub fn settings() -> Request {
        Request::new(Operation::Settings, Method::Get, "/settings", Body::Empty)
    }

    /// `data` becomes `user_metadata` (e.g. `{full_name}`).
    pub fn signup(email: &str, password: &str, data: Value) -> Request {
        let members = vec![
            ("email", Value::string(email)),
            ("password", Value::string(password)),
            ("data", data),
        ];
        Request::json(Operation::Signup, "/signup", members)
    }

    pub fn login(email: &str, password: &str, use_cookie: bool) -> Request {
        let form = format!(
            "grant_type=password&username={}&password={}",
            percent_encode(email),
            percent_encode(password)
        );
        Request::new(Operation::Login, Method::Post, "/token", Body::Form(form))
            .with_cookie(use_cookie)
    }

    pub fn refresh(refresh_token: &str, use_cookie: bool) -> Request {
        let form = format!(
            "grant_type=refresh_token&refresh_token={}",
            percent_encode(refresh_token)
        );
        Request::new(Operation::Refresh, Method::Post, "/token", Body::Form(form))
            .with_cookie(use_cookie)
    }

    pub fn recover(email: &str) -> Request {
        Request::json(
            Operation::Recover,
            "/recover",
            vec![("email", Value::string(email))],
        )
    }

    /// `kind` is `signup` (confirmations and invites) or `recovery`; invites carry a password.
    pub fn verify(kind: &str, token: &str, password: Option<&str>, use_cookie: bool) -> Request {
        let mut members = vec![
            ("token", Value::string(token)),
            ("type", Value::string(kind)),
        ];
        if let Some(password) = password {
            members.push(("password", Value::string(password)));
        }
        Request::json(Operation::Verify, "/verify", members).with_cookie(use_cookie)
    }

    pub fn get_user(access_token: &str) -> Request {
        Request::new(Operation::GetUser, Method::Get, "/user", Body::Empty)
            .with_bearer(access_token)
    }

    /// `attributes` as gotrue-js's `update`: `{email?, password?, data?, email_change_token?}`.
    pub fn update_user(access_token: &str, attributes: &Value) -> Request {
        Request::new(
            Operation::UpdateUser,
            Method::Put,
            "/user",
            Body::Json(attributes.to_json()),
        )
        .with_bearer(access_token)
    }

    pub fn logout(access_token: &str) -> Request {
        Request::new(Operation::Logout, Method::Post, "/logout", Body::Empty)
            .with_bearer(access_token)
    }

    /// `GET /user` without a token: netlify/gotrue answers 401 and clears the `nf_jwt` cookie
    /// it set, without revoking the user's sessions elsewhere (as `/logout` would).
    pub fn clear_cookie() -> Request {
        Request::new(Operation::GetUser, Method::Get, "/user", Body::Empty)
    }
}

/// A change a user makes to their own account (`PUT /user`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserChange {
    /// `user_metadata.full_name`.
    Name(String),
    /// Starts an email change; GoTrue mails a link to the new address.
    Email(String),
    Password(String),
    /// Completes an email change with the emailed token.
    EmailChangeToken(String),
}

impl UserChange {
    /// The `PUT /user` body.
    pub fn to_json(&self) -> Value {
        let member =
            |key: &str, value: &str| Value::Object(vec![(key.into(), Value::string(value))]);
        match self {
            UserChange::Name(name) => {
                Value::Object(vec![("data".into(), member("full_name", name))])
            }
            UserChange::Email(email) => member("email", email),
            UserChange::Password(password) => member("password", password),
            UserChange::EmailChangeToken(token) => member("email_change_token", token),
        }
    }
}

/// Where an external provider's login starts (a full-page navigation, not a fetch).
pub fn authorize_url(api_url: &str, provider: &str, invite_token: Option<&str>) -> String {
    let mut url = format!("{api_url}/authorize?provider={}", percent_encode(provider));
    if let Some(token) = invite_token {
        url.push_str("&invite_token=");
        url.push_str(&percent_encode(token));
    }
    url
}

/// Why a request failed, in the user's terms. Each maps to a translated message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// No network, DNS failure, connection refused.
    Offline,
    /// The server took too long.
    Timeout,
    InvalidCredentials,
    /// No account uses this email (netlify/gotrue v1.0.1's `/recover` says so).
    UnknownEmail,
    EmailNotConfirmed,
    UserExists,
    SignupDisabled,
    /// The server refused the email or password as given (422).
    InvalidInput,
    /// A link's token is unknown or already used.
    LinkInvalid,
    LinkExpired,
    /// The refresh token was refused: the session is over.
    SessionEnded,
    RateLimited,
    NotAllowed,
    /// 5xx, or a body that is not what GoTrue sends.
    ServerError,
    /// The localhost prompt's answer is not a site URL (checked before any request).
    InvalidSiteUrl,
    /// An administrator asked for a user that no longer exists.
    UserNotFound,
}

impl Problem {
    /// Every problem, in declaration order.
    pub const ALL: [Problem; 16] = [
        Problem::Offline,
        Problem::Timeout,
        Problem::InvalidCredentials,
        Problem::UnknownEmail,
        Problem::EmailNotConfirmed,
        Problem::UserExists,
        Problem::SignupDisabled,
        Problem::InvalidInput,
        Problem::LinkInvalid,
        Problem::LinkExpired,
        Problem::SessionEnded,
        Problem::RateLimited,
        Problem::NotAllowed,
        Problem::ServerError,
        Problem::InvalidSiteUrl,
        Problem::UserNotFound,
    ];

    /// Maps a non-2xx response. GoTrue's bodies are `{code, msg}`, `{error, error_description}`
    /// or (supabase) `{error_code, msg|message}`; the status and code decide, not the text,
    /// except where netlify/gotrue gives one status to two cases (noted below).
    pub fn from_response(operation: Operation, status: u16, body: &str) -> Problem {
        let parsed = Value::parse(body).unwrap_or(Value::Null);
        let code = parsed
            .str_of("error_code")
            .or_else(|| parsed.str_of("error"))
            .unwrap_or_default();
        let message = parsed
            .str_of("msg")
            .or_else(|| parsed.str_of("message"))
            .or_else(|| parsed.str_of("error_description"))
            .unwrap_or_default()
            .to_ascii_lowercase();
        match code {
            "email_not_confirmed" => return Problem::EmailNotConfirmed,
            "invalid_credentials" => return Problem::InvalidCredentials,
            "user_already_exists" | "email_exists" => return Problem::UserExists,
            "signup_disabled" => return Problem::SignupDisabled,
            "otp_expired" => return Problem::LinkExpired,
            "weak_password" | "validation_failed" => return Problem::InvalidInput,
            "refresh_token_not_found"
            | "refresh_token_already_used"
            | "session_expired"
            | "session_not_found"
                if operation == Operation::Refresh =>
            {
                return Problem::SessionEnded
            }
            "over_request_rate_limit" | "over_email_send_rate_limit" => {
                return Problem::RateLimited
            }
            _ => {}
        }
        match (operation, status) {
            (_, 429) => Problem::RateLimited,
            (_, 500..=599) => Problem::ServerError,
            // netlify/gotrue answers both with 400 invalid_grant; only the text tells them apart.
            (Operation::Login, 400) if message.contains("not confirmed") => {
                Problem::EmailNotConfirmed
            }
            (Operation::Login, 400 | 401 | 404) => Problem::InvalidCredentials,
            (Operation::Refresh, 400 | 401 | 404) => Problem::SessionEnded,
            (Operation::Signup, 400) => Problem::UserExists,
            (Operation::Signup, 403) => Problem::SignupDisabled,
            (Operation::Verify, 422) if message.contains("expired") => Problem::LinkExpired,
            (Operation::Verify, 400 | 401 | 403 | 404 | 410) => Problem::LinkInvalid,
            (Operation::UpdateUser, 401) if message.contains("email change token") => {
                Problem::LinkInvalid
            }
            (Operation::UpdateUser, 422) if message.contains("expired") => Problem::LinkExpired,
            (Operation::UpdateUser, 422) if message.contains("already registered") => {
                Problem::UserExists
            }
            (Operation::Recover, 404) => Problem::UnknownEmail,
            (Operation::Admin, 404) => Problem::UserNotFound,
            (Operation::Admin, 422) if message.contains("already registered") => {
                Problem::UserExists
            }
            (_, 422 | 400) => Problem::InvalidInput,
            (_, 401 | 403) => Problem::NotAllowed,
            _ => Problem::ServerError,
        }
    }

    /// Whether the user can simply try again later.
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            Problem::Offline | Problem::Timeout | Problem::ServerError | Problem::RateLimited
        )
    }
}

/// Reads a successful response body as JSON; anything else is a server fault.
pub fn parse_success(body: &str) -> Result<Value, Problem> {
    match Value::parse(body) {
        Ok(value @ Value::Object(_)) => Ok(value),
        _ => Err(Problem::ServerError),
    }
}

/// The parts of `GET /settings` the widget uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    pub disable_signup: bool,
    pub autoconfirm: bool,
    /// Enabled external providers, in the old widget's order, with their labels.
    pub providers: Vec<(String, String)>,
}

/// The providers the old widget offers, in its order, with its default labels.
const PROVIDERS: [(&str, &str); 6] = [
    ("google", "Google"),
    ("github", "GitHub"),
    ("gitlab", "GitLab"),
    ("bitbucket", "BitBucket"),
    ("facebook", "Facebook"),
    ("saml", "SAML"),
];

impl Settings {
    pub fn from_json(value: &Value) -> Settings {
        let flag = |v: Option<&Value>| matches!(v, Some(Value::Bool(true)));
        let external = value.get("external");
        let labels = value.get("external_labels");
        let providers = PROVIDERS
            .iter()
            .filter(|(key, _)| flag(external.and_then(|e| e.get(key))))
            .map(|(key, label)| {
                let label = labels.and_then(|l| l.str_of(key)).unwrap_or(label);
                (key.to_string(), label.to_string())
            })
            .collect();
        Settings {
            disable_signup: flag(value.get("disable_signup")),
            autoconfirm: flag(value.get("autoconfirm")) || flag(value.get("mailer_autoconfirm")),
            providers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_is_form_encoded_with_the_cookie_header_flag() {
        let request = Request::login("a+b@c.d", "p&w d", true);
        assert_eq!(
            request.body,
            Body::Form("grant_type=password&username=a%2Bb%40c.d&password=p%26w%20d".into())
        );
        assert_eq!(
            request.body.content_type(),
            Some("application/x-www-form-urlencoded")
        );
        assert!(request.use_cookie);
        assert_eq!(
            (request.method, request.path.as_str()),
            (Method::Post, "/token")
        );
    }

    #[test]
    fn clearing_the_servers_cookie_sends_no_token_and_asks_for_none() {
        let request = Request::clear_cookie();
        assert_eq!(
            (
                request.method,
                request.path.as_str(),
                request.bearer,
                request.use_cookie
            ),
            (Method::Get, "/user", None, false)
        );
        assert_eq!(Request::logout("t").bearer.as_deref(), Some("t"));
    }

    #[test]
    fn verify_and_signup_are_json() {
        let invite = Request::verify("signup", "t\"1", Some("pw"), false);
        assert_eq!(
            invite.body,
            Body::Json(r#"{"token":"t\"1","type":"signup","password":"pw"}"#.into())
        );
        let data = Value::Object(vec![("full_name".into(), Value::string("Ann"))]);
        let signup = Request::signup("a@b.c", "pw", data);
        assert_eq!(
            signup.body,
            Body::Json(r#"{"email":"a@b.c","password":"pw","data":{"full_name":"Ann"}}"#.into())
        );
        assert_eq!(Request::get_user("jwt").bearer.as_deref(), Some("jwt"));
    }

    #[test]
    fn user_changes_are_the_bodies_gotrue_js_sends() {
        assert_eq!(
            UserChange::Name("Ann".into()).to_json().to_json(),
            r#"{"data":{"full_name":"Ann"}}"#
        );
        assert_eq!(
            UserChange::Email("a@b.c".into()).to_json().to_json(),
            r#"{"email":"a@b.c"}"#
        );
        assert_eq!(
            UserChange::Password("p".into()).to_json().to_json(),
            r#"{"password":"p"}"#
        );
        let token = UserChange::EmailChangeToken("t".into()).to_json().to_json();
        assert_eq!(token, r#"{"email_change_token":"t"}"#);
    }

    #[test]
    fn authorize_url_carries_the_invite_token() {
        assert_eq!(
            authorize_url("/id", "github", Some("a b")),
            "/id/authorize?provider=github&invite_token=a%20b"
        );
    }

    #[test]
    fn maps_netlify_errors_by_status() {
        let bad_login = r#"{"error":"invalid_grant","error_description":"No user found with that email, or password invalid."}"#;
        assert_eq!(
            Problem::from_response(Operation::Login, 400, bad_login),
            Problem::InvalidCredentials
        );
        let unconfirmed = r#"{"error":"invalid_grant","error_description":"Email not confirmed"}"#;
        assert_eq!(
            Problem::from_response(Operation::Login, 400, unconfirmed),
            Problem::EmailNotConfirmed
        );
        let taken =
            r#"{"code":400,"msg":"A user with this email address has already been registered"}"#;
        assert_eq!(
            Problem::from_response(Operation::Signup, 400, taken),
            Problem::UserExists
        );
        assert_eq!(
            Problem::from_response(
                Operation::Signup,
                403,
                r#"{"code":403,"msg":"Signups not allowed for this instance"}"#
            ),
            Problem::SignupDisabled
        );
        assert_eq!(
            Problem::from_response(
                Operation::Verify,
                404,
                r#"{"code":404,"msg":"User not found"}"#
            ),
            Problem::LinkInvalid
        );
        assert_eq!(
            Problem::from_response(
                Operation::Verify,
                422,
                r#"{"code":422,"msg":"Recovery token expired"}"#
            ),
            Problem::LinkExpired
        );
        assert_eq!(
            Problem::from_response(Operation::Refresh, 400, r#"{"error":"invalid_grant"}"#),
            Problem::SessionEnded
        );
        assert_eq!(
            Problem::from_response(
                Operation::UpdateUser,
                401,
                r#"{"code":401,"msg":"Email Change Token didn't match token on file"}"#
            ),
            Problem::LinkInvalid
        );
    }

    #[test]
    fn maps_supabase_codes_and_unreadable_bodies() {
        assert_eq!(
            Problem::from_response(
                Operation::Login,
                400,
                r#"{"code":400,"error_code":"invalid_credentials","msg":"x"}"#
            ),
            Problem::InvalidCredentials
        );
        assert_eq!(
            Problem::from_response(Operation::Verify, 403, r#"{"error_code":"otp_expired"}"#),
            Problem::LinkExpired
        );
        assert_eq!(
            Problem::from_response(
                Operation::Refresh,
                400,
                r#"{"error_code":"refresh_token_already_used"}"#
            ),
            Problem::SessionEnded
        );
        assert_eq!(
            Problem::from_response(Operation::Login, 502, "<html>Bad gateway</html>"),
            Problem::ServerError
        );
        assert_eq!(
            Problem::from_response(Operation::Signup, 429, ""),
            Problem::RateLimited
        );
        let unknown = r#"{"code":404,"msg":"User not found"}"#;
        assert_eq!(
            Problem::from_response(Operation::Recover, 404, unknown),
            Problem::UnknownEmail
        );
        assert!(Problem::ServerError.is_transient() && !Problem::SessionEnded.is_transient());
        assert_eq!(parse_success("[1]"), Err(Problem::ServerError));
        assert_eq!(parse_success("{\"a\""), Err(Problem::ServerError));
    }

    #[test]
    fn reads_settings_from_both_servers() {
        let netlify = Value::parse(r#"{"external":{"bitbucket":false,"github":true,"gitlab":false,"google":true,"facebook":false,"email":true,"saml":true},"external_labels":{"saml":"Okta"},"disable_signup":true,"autoconfirm":false}"#).unwrap();
        let settings = Settings::from_json(&netlify);
        assert!(settings.disable_signup && !settings.autoconfirm);
        let names: Vec<_> = settings
            .providers
            .iter()
            .map(|(k, l)| format!("{k}:{l}"))
            .collect();
        assert_eq!(names, ["google:Google", "github:GitHub", "saml:Okta"]);
        let supabase =
            Value::parse(r#"{"external":{"email":true},"mailer_autoconfirm":true}"#).unwrap();
        assert!(Settings::from_json(&supabase).autoconfirm);
        assert_eq!(Settings::from_json(&Value::Null), Settings::default());
    }
}
