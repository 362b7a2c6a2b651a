//! supabase/auth's passkeys: the requests of their two ceremonies (sign-in, and adding one to
//! an account), the list the account and user pages show, and what a failed ceremony means.
//! The browser's part (`navigator.credentials`) takes the server's options as JSON and gives
//! the credential back as JSON (`src/js/passkey.js`); nothing here decodes them.

use super::api::{Body, Method, Operation, Request};
use super::json::Value;
use super::problem::Problem;

/// A ceremony's options from the server: what the browser is asked, and the challenge's id
/// that the answer is sent back with.
#[derive(Clone, Debug, PartialEq)]
pub struct Challenge {
    pub id: String,
    /// `PublicKeyCredentialRequestOptions` or `…CreationOptions`, as JSON, for the browser.
    pub options: String,
}

impl Challenge {
    /// Reads `{challenge_id, options, expires_at}`; `None` if either part is missing.
    pub fn from_json(answer: &Value) -> Option<Challenge> {
        let id = answer.str_of("challenge_id")?.to_string();
        let options = answer
            .get("options")
            .filter(|o| o.get("challenge").is_some())?;
        Some(Challenge {
            id,
            options: options.to_json(),
        })
    }
}

/// One of a user's passkeys, as the account page and an administrator's user page list it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passkey {
    pub id: String,
    /// The server names a new passkey ("Passkey"); the person may rename it.
    pub name: String,
    /// RFC 3339 timestamps, as the server writes them.
    pub created_at: String,
    pub last_used_at: Option<String>,
}

impl Passkey {
    /// The list `GET /passkeys` answers (an array; entries without an id are left out).
    pub fn list_from_json(answer: &Value) -> Vec<Passkey> {
        let Value::Array(entries) = answer else {
            return Vec::new();
        };
        entries
            .iter()
            .filter_map(|entry| {
                Some(Passkey {
                    id: entry.str_of("id")?.to_string(),
                    name: entry
                        .str_of("friendly_name")
                        .unwrap_or_default()
                        .to_string(),
                    created_at: entry.str_of("created_at").unwrap_or_default().to_string(),
                    last_used_at: entry.str_of("last_used_at").map(str::to_string),
                })
            })
            .collect()
    }
}

/// The longest name the server keeps (it refuses longer ones).
pub const MAX_NAME_CHARS: usize = 120;

/// A name as the person typed it, trimmed; `None` if it is empty or too long.
pub fn valid_name(typed: &str) -> Option<&str> {
    let name = typed.trim();
    (!name.is_empty() && name.chars().count() <= MAX_NAME_CHARS).then_some(name)
}

/// How the browser's part of a ceremony ended without a credential (the DOMException's
/// `name`), in the person's terms.
pub fn ceremony_problem(exception_name: &str) -> Problem {
    match exception_name {
        // Adding one: this device already holds a passkey of this account.
        "InvalidStateError" => Problem::PasskeyExists,
        // The page's origin is not the server's relying party, or the browser has none.
        "SecurityError" | "NotSupportedError" | "Unsupported" => Problem::PasskeyUnavailable,
        // Cancelled, timed out, or no passkey of this site on the device (`NotAllowedError`:
        // the browser does not say which, on purpose), or the device failed.
        _ => Problem::PasskeyCancelled,
    }
}

/// The passkey requests. Sign-in needs no token; the rest are the logged-in user's own.
impl Request {
    /// Options for signing in with any passkey of this site (discoverable credentials).
    pub fn passkey_sign_in_options() -> Request {
        passkey(
            Method::Post,
            "/passkeys/authentication/options",
            Body::Json("{}".into()),
        )
    }

    /// The browser's assertion for `challenge`: a token response when it holds.
    pub fn passkey_sign_in(challenge_id: &str, credential: &Value) -> Request {
        let body = answer(challenge_id, credential);
        passkey(Method::Post, "/passkeys/authentication/verify", body)
    }

    /// Options for adding a passkey to the logged-in user's account.
    pub fn passkey_add_options(access_token: &str) -> Request {
        passkey(
            Method::Post,
            "/passkeys/registration/options",
            Body::Json("{}".into()),
        )
        .with_bearer(access_token)
    }

    /// The browser's new credential for `challenge`: the passkey as the list shows it.
    pub fn passkey_add(access_token: &str, challenge_id: &str, credential: &Value) -> Request {
        let body = answer(challenge_id, credential);
        passkey(Method::Post, "/passkeys/registration/verify", body).with_bearer(access_token)
    }

    pub fn passkeys(access_token: &str) -> Request {
        passkey(Method::Get, "/passkeys", Body::Empty).with_bearer(access_token)
    }

    pub fn rename_passkey(access_token: &str, id: &str, name: &str) -> Request {
        let body = Value::Object(vec![("friendly_name".into(), Value::string(name))]);
        passkey(
            Method::Patch,
            format!("/passkeys/{id}"),
            Body::Json(body.to_json()),
        )
        .with_bearer(access_token)
    }

    pub fn remove_passkey(access_token: &str, id: &str) -> Request {
        passkey(Method::Delete, format!("/passkeys/{id}"), Body::Empty).with_bearer(access_token)
    }

    /// An administrator's view of `user`'s passkeys.
    pub fn user_passkeys(access_token: &str, user: &str) -> Request {
        let path = format!("/admin/users/{user}/passkeys");
        Request::new(Operation::Admin, Method::Get, path, Body::Empty).with_bearer(access_token)
    }

    pub fn remove_user_passkey(access_token: &str, user: &str, id: &str) -> Request {
        let path = format!("/admin/users/{user}/passkeys/{id}");
        Request::new(Operation::Admin, Method::Delete, path, Body::Empty).with_bearer(access_token)
    }
}

fn passkey(method: Method, path: impl Into<String>, body: Body) -> Request {
    Request::new(Operation::Passkey, method, path, body)
}

/// `{challenge_id, credential}`, the credential as the browser's `toJSON()` gave it.
fn answer(challenge_id: &str, credential: &Value) -> Body {
    let body = Value::Object(vec![
        ("challenge_id".into(), Value::string(challenge_id)),
        ("credential".into(), credential.clone()),
    ]);
    Body::Json(body.to_json())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_challenge_is_its_id_and_the_options_for_the_browser() {
        let answer = Value::parse(r#"{"challenge_id":"c1","options":{"challenge":"YHXE","timeout":300000,"rpId":"localhost","userVerification":"preferred"},"expires_at":1796673086}"#).unwrap();
        let challenge = Challenge::from_json(&answer).unwrap();
        assert_eq!(challenge.id, "c1");
        assert_eq!(
            challenge.options,
            r#"{"challenge":"YHXE","timeout":300000,"rpId":"localhost","userVerification":"preferred"}"#
        );
        let no_options = Value::parse(r#"{"challenge_id":"c1","options":{}}"#).unwrap();
        assert_eq!(Challenge::from_json(&no_options), None);
        assert_eq!(Challenge::from_json(&Value::Null), None);
    }

    #[test]
    fn the_list_reads_each_passkey_and_skips_what_is_not_one() {
        let answer = Value::parse(r#"[{"id":"p1","friendly_name":"Passkey","created_at":"2026-12-07T19:46:26.516987Z"},{"id":"p2","created_at":"2026-12-01T08:00:00Z","last_used_at":"2026-12-07T10:00:00Z"},{"friendly_name":"no id"},7]"#).unwrap();
        let list = Passkey::list_from_json(&answer);
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].name, "Passkey");
        assert_eq!(list[0].last_used_at, None);
        assert_eq!(list[1].name, "");
        assert_eq!(
            list[1].last_used_at.as_deref(),
            Some("2026-12-07T10:00:00Z")
        );
        assert!(Passkey::list_from_json(&Value::Object(Vec::new())).is_empty());
    }

    #[test]
    fn a_name_is_trimmed_and_at_most_the_servers_length() {
        assert_eq!(valid_name("  Laptop "), Some("Laptop"));
        assert_eq!(valid_name("   "), None);
        assert_eq!(valid_name(&"é".repeat(120)).map(str::len), Some(240));
        assert_eq!(valid_name(&"é".repeat(121)), None);
    }

    #[test]
    fn each_way_a_ceremony_ends_says_what_happened() {
        assert_eq!(
            ceremony_problem("NotAllowedError"),
            Problem::PasskeyCancelled
        );
        assert_eq!(ceremony_problem("AbortError"), Problem::PasskeyCancelled);
        assert_eq!(
            ceremony_problem("InvalidStateError"),
            Problem::PasskeyExists
        );
        assert_eq!(
            ceremony_problem("SecurityError"),
            Problem::PasskeyUnavailable
        );
        assert_eq!(ceremony_problem("Unsupported"), Problem::PasskeyUnavailable);
        assert_eq!(ceremony_problem("UnknownError"), Problem::PasskeyCancelled);
    }

    #[test]
    fn the_answer_carries_the_credential_as_the_browser_wrote_it() {
        let credential = Value::parse(r#"{"id":"abc","rawId":"abc","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"AA","signature":"AA","userHandle":"dQ"},"clientExtensionResults":{},"authenticatorAttachment":"platform"}"#).unwrap();
        let request = Request::passkey_sign_in("c1", &credential);
        assert_eq!(request.method, Method::Post);
        assert_eq!(request.path, "/passkeys/authentication/verify");
        assert_eq!(request.bearer, None);
        let Body::Json(body) = &request.body else {
            panic!("a JSON body")
        };
        let body = Value::parse(body).unwrap();
        assert_eq!(body.str_of("challenge_id"), Some("c1"));
        assert_eq!(body.get("credential"), Some(&credential));
    }

    #[test]
    fn managing_them_is_the_users_own_or_an_administrators() {
        let rename = Request::rename_passkey("t", "p1", "Laptop");
        assert_eq!(
            (
                rename.method,
                rename.path.as_str(),
                rename.bearer.as_deref()
            ),
            (Method::Patch, "/passkeys/p1", Some("t"))
        );
        assert_eq!(
            rename.body,
            Body::Json(r#"{"friendly_name":"Laptop"}"#.into())
        );
        let remove = Request::remove_passkey("t", "p1");
        assert_eq!(
            (remove.method, remove.path.as_str()),
            (Method::Delete, "/passkeys/p1")
        );
        let theirs = Request::user_passkeys("op", "u1");
        assert_eq!(
            (theirs.operation, theirs.path.as_str()),
            (Operation::Admin, "/admin/users/u1/passkeys")
        );
        let remove_theirs = Request::remove_user_passkey("op", "u1", "p1");
        assert_eq!(remove_theirs.path, "/admin/users/u1/passkeys/p1");
        assert_eq!(
            Request::passkey_add_options("t").path,
            "/passkeys/registration/options"
        );
    }
}
