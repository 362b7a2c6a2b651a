//! The logged-in session, stored as gotrue-js stores it in `localStorage["gotrue.user"]`:
//! `{"token":{…},"url":…,"audience":…, …the fields of GET /user}`. Records written by the
//! old widget restore here and ours restore there; fields we do not model are kept as they are.

use super::backend::Backend;
use super::json::Value;
use super::jwt;

/// The localStorage key gotrue-js and the old widget use.
pub const STORAGE_KEY: &str = "gotrue.user";

/// Refresh this long before the access token expires (gotrue-js: 60 s)…
pub const REFRESH_MARGIN_MS: i64 = 60_000;
/// …but at most this share of the token's lifetime, so a server issuing short-lived tokens
/// (a few seconds) gets one refresh per token, not one per `jwt()` call.
const REFRESH_MARGIN_SHARE: i64 = 4;

/// A session: tokens plus the user, in the stored record's shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    record: Value,
}

impl Session {
    /// Restores a stored record. Malformed JSON, or a record without `url` or
    /// `token.access_token`, gives `None`.
    pub fn restore(stored: &str) -> Option<Session> {
        let record = Value::parse(stored).ok()?;
        record.str_of("url")?;
        record.get("token")?.str_of("access_token")?;
        let mut session = Session { record };
        session.normalise_user_metadata();
        Some(session)
    }

    /// A new session from a token response (`POST /token`, `/verify`, or a provider redirect)
    /// and the user from `GET /user`.
    pub fn new(
        token_response: &Value,
        user: &Value,
        api_url: &str,
        audience: &str,
        now_ms: i64,
    ) -> Option<Session> {
        let mut record = Value::Object(Vec::new());
        record.set("token", token_record(token_response, now_ms)?);
        record.set("url", Value::string(api_url));
        record.set("audience", Value::string(audience));
        let mut session = Session { record };
        session.set_user(user)?;
        Some(session)
    }

    /// Replaces the user fields (after `GET` or `PUT /user`), keeping tokens. An answer that
    /// is not a user changes nothing and is `None`.
    pub fn set_user(&mut self, user: &Value) -> Option<()> {
        if !is_user(user) {
            return None;
        }
        let is_session_member =
            |key: &str| matches!(key, "token" | "url" | "audience" | "api" | "_fromStorage");
        // What the server now leaves out goes too: `factors` once the last is removed,
        // `new_email` once the change is confirmed.
        if let Value::Object(members) = &mut self.record {
            members.retain(|(key, _)| is_session_member(key) || user.get(key).is_some());
        }
        if let Value::Object(fields) = user {
            for (key, value) in fields {
                if !is_session_member(key) {
                    self.record.set(key, value.clone());
                }
            }
        }
        self.normalise_user_metadata();
        Some(())
    }

    /// Takes the tokens of a refresh response; `None` (and no change) if it has no access token.
    pub fn set_tokens(&mut self, token_response: &Value, now_ms: i64) -> Option<()> {
        let token = token_record(token_response, now_ms)?;
        self.record.set("token", token);
        Some(())
    }

    /// The JSON text to store.
    pub fn to_stored(&self) -> String {
        self.record.to_json()
    }

    /// The whole record, as the page sees the user.
    pub fn record(&self) -> &Value {
        &self.record
    }

    pub fn api_url(&self) -> &str {
        self.record.str_of("url").unwrap_or_default()
    }

    pub fn access_token(&self) -> &str {
        self.token_str("access_token").unwrap_or_default()
    }

    pub fn refresh_token(&self) -> Option<&str> {
        self.token_str("refresh_token")
    }

    /// Milliseconds since the epoch; `None` when unknown (a non-JWT token never refreshes).
    pub fn expires_at_ms(&self) -> Option<i64> {
        self.record.get("token")?.get("expires_at")?.as_i64()
    }

    /// Whether `jwt()` must refresh before answering, judged on the server's clock: `now_ms`
    /// is this device's, shifted by the offset learned when the token arrived.
    pub fn needs_refresh(&self, now_ms: i64) -> bool {
        let server_now = now_ms.saturating_add(self.server_clock_offset_ms());
        self.expires_at_ms()
            .is_some_and(|at| at - self.refresh_margin_ms() <= server_now)
            && self.refresh_token().is_some()
    }

    /// The server's clock minus this device's when the token arrived (0 when unknown, as in
    /// records the old widget wrote). A device set hours off would otherwise refresh on every
    /// call, or hand out tokens the server already considers expired.
    fn server_clock_offset_ms(&self) -> i64 {
        self.record
            .get("token")
            .and_then(|t| t.get(CLOCK_OFFSET_KEY))
            .and_then(Value::as_i64)
            .unwrap_or(0)
    }

    /// 60 s, or a quarter of the token's lifetime (`expires_in`) when that is shorter.
    fn refresh_margin_ms(&self) -> i64 {
        let lifetime_ms = self
            .record
            .get("token")
            .and_then(|t| t.get("expires_in"))
            .and_then(Value::as_i64)
            .filter(|seconds| *seconds > 0)
            .map(|seconds| seconds.saturating_mul(1000));
        lifetime_ms.map_or(REFRESH_MARGIN_MS, |ms| {
            REFRESH_MARGIN_MS.min(ms / REFRESH_MARGIN_SHARE)
        })
    }

    /// Whether the login still lacks its second step: the user has a confirmed authenticator
    /// app and the token is not `aal2` (`core::second_step`).
    pub fn needs_second_step(&self) -> bool {
        let claims = jwt::payload(self.access_token()).unwrap_or(Value::Null);
        super::second_step::needed(&claims, &self.record)
    }

    pub fn user_id(&self) -> &str {
        self.record.str_of("id").unwrap_or_default()
    }

    pub fn email(&self) -> &str {
        self.record.str_of("email").unwrap_or_default()
    }

    /// `user_metadata.full_name`, else `.name`.
    pub fn full_name(&self) -> Option<&str> {
        let metadata = self.record.get("user_metadata")?;
        metadata
            .str_of("full_name")
            .or_else(|| metadata.str_of("name"))
    }

    /// `app_metadata.roles`, which only an administrator can change.
    pub fn roles(&self) -> Vec<&str> {
        match self.record.get("app_metadata").and_then(|m| m.get("roles")) {
            Some(Value::Array(roles)) => roles.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// An email change waiting for its confirmation link.
    pub fn new_email(&self) -> Option<&str> {
        self.record.str_of("new_email")
    }

    /// The server that issued the access token (its claims say; see [`Backend`]).
    pub fn backend(&self) -> Backend {
        Backend::from_claims(&jwt::payload(self.access_token()).unwrap_or(Value::Null))
    }

    /// What the UI calls the user: the name, else the email.
    pub fn display_name(&self) -> &str {
        self.full_name().unwrap_or_else(|| self.email())
    }

    fn token_str(&self, key: &str) -> Option<&str> {
        self.record.get("token")?.str_of(key)
    }

    /// The old widget's pages read `user_metadata.x`; `null` there would throw.
    fn normalise_user_metadata(&mut self) {
        if !matches!(self.record.get("user_metadata"), Some(Value::Object(_))) {
            self.record.set("user_metadata", Value::Object(Vec::new()));
        }
    }
}

/// What `GET /user` must answer to be taken for a user: an object with a non-empty string
/// `id`, and an `email` that is a string when present (supabase's phone users have none).
fn is_user(user: &Value) -> bool {
    user.str_of("id").is_some_and(|id| !id.is_empty())
        && user
            .get("email")
            .is_none_or(|email| email.as_str().is_some())
}

/// Where the stored token keeps the server's clock offset (our addition to gotrue-js's shape).
const CLOCK_OFFSET_KEY: &str = "server_clock_offset_ms";

/// The stored `token` object: the server's fields plus `expires_at` in milliseconds, taken
/// from the JWT's `exp` (else from `expires_in`), and the server's clock offset: when the
/// server issued the token (`iat`, else `exp` − `expires_in`) minus `now_ms`, its arrival.
fn token_record(response: &Value, now_ms: i64) -> Option<Value> {
    let access_token = response.str_of("access_token")?;
    let expires_in = response.get("expires_in").and_then(Value::as_i64);
    let lifetime_ms = expires_in.and_then(|seconds| seconds.checked_mul(1000));
    let claims = jwt::payload(access_token);
    let claim_ms = |name: &str| claims.as_ref()?.get(name)?.as_i64()?.checked_mul(1000);
    let expires_at = claim_ms("exp").or_else(|| now_ms.checked_add(lifetime_ms?));
    let issued_at = claim_ms("iat").or_else(|| claim_ms("exp")?.checked_sub(lifetime_ms?));
    let clock_offset = issued_at.and_then(|at| at.checked_sub(now_ms)).unwrap_or(0);
    let mut token = Value::Object(Vec::new());
    token.set("access_token", Value::string(access_token));
    token.set(
        "token_type",
        Value::string(response.str_of("token_type").unwrap_or("bearer")),
    );
    token.set("expires_in", expires_in.map_or(Value::Null, Value::number));
    token.set(
        "refresh_token",
        Value::string(response.str_of("refresh_token").unwrap_or_default()),
    );
    token.set("expires_at", expires_at.map_or(Value::Null, Value::number));
    token.set(CLOCK_OFFSET_KEY, Value::number(clock_offset));
    Some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    // payload {"exp":1795725474}
    const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3OTU3MjU0NzR9.c2ln";

    fn user() -> Value {
        Value::parse(r#"{"id":"u1","aud":"","role":"","email":"a@b.c","app_metadata":{"provider":"email","roles":["editor"]},"user_metadata":null,"created_at":"2026-01-01T00:00:00Z"}"#).unwrap()
    }

    fn tokens(access_token: &str) -> Value {
        Value::parse(&format!(
            r#"{{"access_token":"{access_token}","token_type":"bearer","expires_in":3600,"refresh_token":"rt"}}"#
        ))
        .unwrap()
    }

    #[test]
    fn writes_the_gotrue_js_record_shape_in_its_key_order() {
        // Arriving the second it was issued (exp − expires_in): the clocks agree.
        let issued = 1_795_725_474_000 - 3_600_000;
        let session =
            Session::new(&tokens(JWT), &user(), "/.netlify/identity", "", issued).unwrap();
        let stored = session.to_stored();
        assert!(stored.starts_with(&format!(
            r#"{{"token":{{"access_token":"{JWT}","token_type":"bearer","expires_in":3600,"refresh_token":"rt","expires_at":1795725474000,"server_clock_offset_ms":0}},"url":"/.netlify/identity","audience":"","id":"u1""#
        )));
        assert!(
            stored.contains(r#""user_metadata":{}"#),
            "null metadata becomes {{}}: {stored}"
        );
        assert_eq!(Session::restore(&stored), Some(session));
    }

    #[test]
    fn restores_a_record_the_old_widget_wrote() {
        let stored = r#"{"token":{"access_token":"eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3OTU3MjU0NzR9.c2ln","token_type":"bearer","expires_in":3600,"refresh_token":"rt","expires_at":1795725474000},"url":"https://site/.netlify/identity","audience":"","id":"u1","email":"a@b.c","user_metadata":{"full_name":"Ann"},"_fromStorage":true}"#;
        let session = Session::restore(stored).unwrap();
        assert_eq!(session.display_name(), "Ann");
        assert_eq!(session.refresh_token(), Some("rt"));
        assert_eq!(session.api_url(), "https://site/.netlify/identity");
        assert!(!session.needs_refresh(1_795_725_474_000 - 61_000));
        assert!(session.needs_refresh(1_795_725_474_000 - 59_000));
    }

    #[test]
    fn answers_that_are_not_users_make_no_session_and_change_none() {
        for bad in [
            "[]",
            r#"{"email":"a@b.c"}"#,
            r#"{"id":"","email":"a@b.c"}"#,
            r#"{"id":null,"email":["a"]}"#,
            r#"{"id":"u1","email":7}"#,
        ] {
            let bad = Value::parse(bad).unwrap();
            assert_eq!(
                Session::new(&tokens(JWT), &bad, "/x", "", 0),
                None,
                "{bad:?}"
            );
            let mut session = Session::new(&tokens(JWT), &user(), "/x", "", 0).unwrap();
            let before = session.clone();
            assert_eq!(session.set_user(&bad), None);
            assert_eq!(session, before);
        }
    }

    #[test]
    fn expiry_is_judged_on_the_servers_clock_in_every_tab() {
        let expires_at = 1_795_725_474_000;
        let issued = expires_at - 3_600_000;
        let two_hours = 7_200_000;
        for device_offset in [two_hours, -two_hours, 0] {
            let arrival = issued + device_offset;
            let session = Session::new(&tokens(JWT), &user(), "/x", "", arrival).unwrap();
            // Another tab reads the same record.
            let other_tab = Session::restore(&session.to_stored()).unwrap();
            for tab in [&session, &other_tab] {
                assert!(!tab.needs_refresh(arrival + 60_000), "{device_offset}");
                assert!(!tab.needs_refresh(arrival + 3_539_000), "{device_offset}");
                assert!(tab.needs_refresh(arrival + 3_540_000), "{device_offset}");
            }
        }
        // A supabase token says when it was issued.
        // payload {"iat":1000,"exp":4600}
        let with_iat = "eyJhbGciOiJIUzI1NiJ9.eyJpYXQiOjEwMDAsImV4cCI6NDYwMH0.c2ln";
        let session =
            Session::new(&tokens(with_iat), &user(), "/x", "", 1_000_000 + two_hours).unwrap();
        assert!(!session.needs_refresh(1_000_000 + two_hours + 3_539_000));
        assert!(session.needs_refresh(1_000_000 + two_hours + 3_540_000));
    }

    #[test]
    fn short_lived_tokens_refresh_in_their_last_quarter() {
        let stored = r#"{"token":{"access_token":"a","expires_in":8,"refresh_token":"rt","expires_at":100000},"url":"/x","id":"u1"}"#;
        let session = Session::restore(stored).unwrap();
        assert!(!session.needs_refresh(100_000 - 2_001));
        assert!(session.needs_refresh(100_000 - 2_000));
        // No lifetime, or a nonsense one: gotrue-js's minute.
        for token in [
            r#""expires_at":100000"#,
            r#""expires_in":0,"expires_at":100000"#,
            r#""expires_in":-5,"expires_at":100000"#,
        ] {
            let stored = format!(
                r#"{{"token":{{"access_token":"a","refresh_token":"rt",{token}}},"url":"/x"}}"#
            );
            let session = Session::restore(&stored).unwrap();
            assert!(!session.needs_refresh(100_000 - 60_001), "{token}");
            assert!(session.needs_refresh(100_000 - 60_000), "{token}");
        }
    }

    #[test]
    fn malformed_records_restore_to_nothing() {
        for bad in [
            "",
            "null",
            "[]",
            "{",
            r#"{"url":"/x"}"#,
            r#"{"token":{"access_token":"a"}}"#,
            r#"{"token":{"access_token":7},"url":"/x"}"#,
            r#"{"token":"t","url":"/x"}"#,
        ] {
            assert_eq!(Session::restore(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_non_jwt_token_uses_expires_in_and_a_refresh_keeps_the_user() {
        let mut session = Session::new(&tokens("access_token"), &user(), "/x", "", 1_000).unwrap();
        assert_eq!(session.expires_at_ms(), Some(3_601_000));
        session.set_tokens(&tokens(JWT), 5_000).unwrap();
        assert_eq!(session.access_token(), JWT);
        assert_eq!(session.email(), "a@b.c");
        assert_eq!(session.set_tokens(&Value::Null, 0), None);
    }

    #[test]
    fn reads_roles_and_a_pending_email_change() {
        let mut session = Session::new(&tokens(JWT), &user(), "/x", "", 0).unwrap();
        assert_eq!(session.roles(), ["editor"]);
        assert_eq!(session.new_email(), None);
        let _ = session.set_user(
            &Value::parse(r#"{"id":"u1","new_email":"n@b.c","app_metadata":{"roles":"bad"}}"#)
                .unwrap(),
        );
        assert_eq!(session.new_email(), Some("n@b.c"));
        assert!(
            session.roles().is_empty(),
            "a malformed roles value is no roles"
        );
    }

    #[test]
    fn set_user_replaces_fields_but_never_tokens() {
        let mut session = Session::new(&tokens(JWT), &user(), "/x", "", 0).unwrap();
        let update = Value::parse(
            r#"{"id":"u1","email":"new@b.c","token":"evil","user_metadata":{"full_name":"N"}}"#,
        )
        .unwrap();
        assert_eq!(session.set_user(&update), Some(()));
        assert_eq!(session.email(), "new@b.c");
        assert_eq!(session.display_name(), "N");
        assert_eq!(session.access_token(), JWT);
        assert_eq!(session.api_url(), "/x");
    }

    #[test]
    fn what_the_server_leaves_out_of_a_new_answer_leaves_the_user() {
        let with_app = Value::parse(r#"{"id":"u1","email":"a@b.c","new_email":"n@b.c","factors":[{"id":"f1","factor_type":"totp","status":"verified"}]}"#).unwrap();
        let mut session = Session::new(&tokens(JWT), &with_app, "/x", "", 0).unwrap();
        let without = Value::parse(r#"{"id":"u1","email":"n@b.c"}"#).unwrap();
        assert_eq!(session.set_user(&without), Some(()));
        assert_eq!(session.record().get("factors"), None);
        assert_eq!(session.new_email(), None);
        assert_eq!(session.access_token(), JWT);
    }
}
