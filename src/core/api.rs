//! GoTrue requests as plain data, and the settings answer. The browser layer sends a
//! [`Request`] and hands back status and body text; `core::problem` reads a refusal.

use super::backend::Backend;
use super::fragment::percent_encode;
use super::json::Value;

/// An HTTP method GoTrue uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
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
    /// supabase/auth's passwordless sign-in mail (`/otp`).
    SignInLink,
    Verify,
    GetUser,
    UpdateUser,
    Logout,
    /// Any `/admin/*` or `/invite` call.
    Admin,
    /// supabase/auth's passkeys (`core::passkey`): signing in with one, and the user's own.
    Passkey,
    /// supabase/auth's second step, an authenticator app (`core::second_step`).
    SecondStep,
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
    /// A hosted Supabase project's public API key, sent as `apikey`: its gateway refuses
    /// requests without one. The server itself does not read it.
    pub api_key: Option<String>,
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
            api_key: None,
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

    /// Sends the project's `apikey` when the page gave one.
    pub fn with_api_key(mut self, api_key: Option<&str>) -> Request {
        self.api_key = api_key.map(str::to_string);
        self
    }

    /// PKCE (`core::pkce`): the challenge of this browser's verifier, in the JSON body.
    pub fn with_pkce(mut self, challenge: &str) -> Request {
        if let Body::Json(text) = &self.body {
            if let Ok(mut body @ Value::Object(_)) = Value::parse(text) {
                body.set("code_challenge", Value::string(challenge));
                body.set("code_challenge_method", Value::string("s256"));
                self.body = Body::Json(body.to_json());
            }
        }
        self
    }

    /// supabase/auth's `?redirect_to=`: where the emailed link brings the person back (the
    /// page they were on; the server keeps it only if its allow list has it).
    pub fn with_redirect(mut self, page_url: &str) -> Request {
        self.path
            .push_str(if self.path.contains('?') { "&" } else { "?" });
        self.path.push_str("redirect_to=");
        self.path.push_str(&percent_encode(page_url));
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

    /// The password grant: a form on netlify/gotrue, JSON (`grant_type` in the query) on
    /// supabase/auth.
    pub fn login(email: &str, password: &str, use_cookie: bool, backend: Backend) -> Request {
        let body = match backend {
            Backend::Netlify => Body::Form(format!(
                "grant_type=password&username={}&password={}",
                percent_encode(email),
                percent_encode(password)
            )),
            Backend::Supabase => Body::Json(
                Value::Object(vec![
                    ("email".into(), Value::string(email)),
                    ("password".into(), Value::string(password)),
                ])
                .to_json(),
            ),
        };
        Request::new(
            Operation::Login,
            Method::Post,
            token_path(backend, "password"),
            body,
        )
        .with_cookie(use_cookie)
    }

    /// The refresh grant, in each server's body as [`Request::login`].
    pub fn refresh(refresh_token: &str, use_cookie: bool, backend: Backend) -> Request {
        let body = match backend {
            Backend::Netlify => Body::Form(format!(
                "grant_type=refresh_token&refresh_token={}",
                percent_encode(refresh_token)
            )),
            Backend::Supabase => Body::Json(
                Value::Object(vec![("refresh_token".into(), Value::string(refresh_token))])
                    .to_json(),
            ),
        };
        let path = token_path(backend, "refresh_token");
        Request::new(Operation::Refresh, Method::Post, path, body).with_cookie(use_cookie)
    }

    pub fn recover(email: &str) -> Request {
        Request::json(
            Operation::Recover,
            "/recover",
            vec![("email", Value::string(email))],
        )
    }

    /// supabase/auth's passwordless sign-in: a mail with a link and a 6-digit code, for an
    /// existing account only (`create_user: false`: an account is made on the signup page).
    pub fn sign_in_link(email: &str) -> Request {
        let members = vec![
            ("email", Value::string(email)),
            ("create_user", Value::Bool(false)),
        ];
        Request::json(Operation::SignInLink, "/otp", members)
    }

    /// That mail's code, typed instead of following its link.
    pub fn verify_code(email: &str, code: &str) -> Request {
        let members = vec![
            ("type", Value::string("email")),
            ("email", Value::string(email)),
            ("token", Value::string(code)),
        ];
        Request::json(Operation::Verify, "/verify", members)
    }

    /// A PKCE link's one-time code exchanged with this browser's verifier for tokens.
    pub fn pkce_exchange(code: &str, verifier: &str) -> Request {
        let members = vec![
            ("auth_code", Value::string(code)),
            ("code_verifier", Value::string(verifier)),
        ];
        Request::json(Operation::Verify, "/token?grant_type=pkce", members)
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

/// `/token`, with the grant in the query where the body cannot carry it (supabase/auth).
fn token_path(backend: Backend, grant_type: &str) -> String {
    match backend {
        Backend::Netlify => "/token".to_string(),
        Backend::Supabase => format!("/token?grant_type={grant_type}"),
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

/// The parts of `GET /settings` the widget uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    pub disable_signup: bool,
    pub autoconfirm: bool,
    /// Enabled external providers, in the old widget's order, with their labels.
    pub providers: Vec<(String, String)>,
    /// The server these settings came from.
    pub backend: Backend,
    /// supabase/auth offers passkeys (`passkeys_enabled`).
    pub passkeys: bool,
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
            backend: Backend::from_settings(value),
            passkeys: flag(value.get("passkeys_enabled")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_is_form_encoded_with_the_cookie_header_flag() {
        let request = Request::login("a+b@c.d", "p&w d", true, Backend::Netlify);
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
    fn supabase_takes_the_grants_as_json_with_the_grant_type_in_the_query() {
        let login = Request::login("a+b@c.d", "p\"w", false, Backend::Supabase);
        assert_eq!(login.path, "/token?grant_type=password");
        assert_eq!(
            login.body,
            Body::Json(r#"{"email":"a+b@c.d","password":"p\"w"}"#.into())
        );
        let refresh = Request::refresh("rt", false, Backend::Supabase);
        assert_eq!(
            (refresh.path.as_str(), refresh.body),
            (
                "/token?grant_type=refresh_token",
                Body::Json(r#"{"refresh_token":"rt"}"#.into())
            )
        );
        assert_eq!(
            Request::refresh("rt", true, Backend::Netlify).body,
            Body::Form("grant_type=refresh_token&refresh_token=rt".into())
        );
    }

    #[test]
    fn pkce_adds_its_challenge_and_exchanges_the_code() {
        let recover = Request::recover("a@b.c").with_pkce("ch");
        assert_eq!(
            recover.body,
            Body::Json(
                r#"{"email":"a@b.c","code_challenge":"ch","code_challenge_method":"s256"}"#.into()
            )
        );
        let exchange = Request::pkce_exchange("c0de", "v");
        assert_eq!(
            (exchange.path.as_str(), exchange.body),
            (
                "/token?grant_type=pkce",
                Body::Json(r#"{"auth_code":"c0de","code_verifier":"v"}"#.into())
            )
        );
    }

    #[test]
    fn passwordless_sign_in_asks_for_a_mail_then_checks_its_code() {
        let link = Request::sign_in_link("a@b.c");
        assert_eq!(
            (link.path.as_str(), link.body),
            (
                "/otp",
                Body::Json(r#"{"email":"a@b.c","create_user":false}"#.into())
            )
        );
        let code = Request::verify_code("a@b.c", "123456");
        assert_eq!(
            (code.path.as_str(), code.body),
            (
                "/verify",
                Body::Json(r#"{"type":"email","email":"a@b.c","token":"123456"}"#.into())
            )
        );
    }

    #[test]
    fn the_page_to_come_back_to_is_encoded_in_the_query() {
        let recover = Request::recover("a@b.c").with_redirect("https://site/blog/?p=1&q=2");
        assert_eq!(
            recover.path,
            "/recover?redirect_to=https%3A%2F%2Fsite%2Fblog%2F%3Fp%3D1%26q%3D2"
        );
        let again = Request::new(Operation::Signup, Method::Post, "/signup?x=1", Body::Empty)
            .with_redirect("/");
        assert_eq!(again.path, "/signup?x=1&redirect_to=%2F");
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
        assert_eq!(Settings::from_json(&supabase).backend, Backend::Supabase);
        assert!(!settings.passkeys && !Settings::from_json(&supabase).passkeys);
        let passkeys =
            Value::parse(r#"{"mailer_autoconfirm":false,"passkeys_enabled":true}"#).unwrap();
        assert!(Settings::from_json(&passkeys).passkeys);
        assert_eq!(Settings::from_json(&Value::Null), Settings::default());
    }
}
