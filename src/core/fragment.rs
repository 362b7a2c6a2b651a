//! What an emailed or redirect link carries in the URL fragment.
//!
//! GoTrue puts tokens after `#`: `#confirmation_token=…`, `#recovery_token=…`,
//! `#invite_token=…`, `#email_change_token=…`, an external provider's
//! `#access_token=…&refresh_token=…`, or `#error=…&error_description=…`.
//! A leading `#/` is tolerated for hash routers (Decap CMS).

use super::json::Value;

/// A link the widget finishes by itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkAction {
    /// Confirm a signup: `POST /verify {type: signup}`.
    Confirm { token: String },
    /// Show "set a new password" after `POST /verify {type: recovery}`.
    Recover { token: String },
    /// Ask for a password, then `POST /verify {type: signup, password}`.
    Invite { token: String },
    /// `PUT /user {email_change_token}` once someone is logged in.
    EmailChange { token: String },
    /// An external provider's implicit grant.
    ExternalLogin(ExternalTokens),
    /// A PKCE link's redirect (`?code=…#pkce`, `core::pkce`): the code is in the query.
    PkceCode,
    /// supabase/auth's secure email change: one of its two links was followed
    /// (`#message=Confirmation link accepted…&sb=`); the other one finishes the change.
    EmailChangeHalfway,
    /// The server redirected back with an error (supabase/auth adds an `error_code`).
    Error {
        error: String,
        description: String,
        code: String,
    },
}

/// Tokens a redirect carries: an external provider's, or supabase/auth's after an emailed
/// link (which says what the link was in `type=`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExternalTokens {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
    pub token_type: String,
    pub purpose: TokensPurpose,
}

/// What a redirect's tokens finish, from its `type=`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TokensPurpose {
    /// A login: a provider's (no `type`), or a magic link's.
    #[default]
    Login,
    /// A confirmed signup (`type=signup`): "your email is confirmed".
    Signup,
    /// A recovery link (`type=recovery`): "set a new password" before the login counts.
    Recovery,
    /// An invite (`type=invite`): the invited person chooses a password before the login counts.
    Invite,
    /// The second link of an email change (`type=email_change`): "your email is updated".
    EmailChange,
}

impl LinkAction {
    /// Reads a `location.hash` (with or without the leading `#`). `None` for anything the
    /// widget must leave alone, including Decap's implicit-grant flow (`state` with
    /// `auth_type: "implicit"`), which its own code finishes.
    pub fn from_fragment(hash: &str) -> Option<LinkAction> {
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        let hash = hash.strip_prefix('/').unwrap_or(hash);
        if hash == "pkce" {
            return Some(LinkAction::PkceCode);
        }
        let params = parse_params(hash);
        let get = |name: &str| {
            params
                .iter()
                .find(|(key, value)| key == name && !value.is_empty())
                .map(|(_, value)| value.clone())
        };
        if let Some(token) = get("confirmation_token") {
            return Some(LinkAction::Confirm { token });
        }
        if let Some(token) = get("recovery_token") {
            return Some(LinkAction::Recover { token });
        }
        if let Some(token) = get("invite_token") {
            return Some(LinkAction::Invite { token });
        }
        if let Some(token) = get("email_change_token") {
            return Some(LinkAction::EmailChange { token });
        }
        if let Some(access_token) = get("access_token") {
            if get("state").is_some_and(|state| is_implicit_grant_state(&state)) {
                return None;
            }
            return Some(LinkAction::ExternalLogin(ExternalTokens {
                access_token,
                refresh_token: get("refresh_token").unwrap_or_default(),
                expires_in: get("expires_in")
                    .and_then(|e| e.parse().ok())
                    .unwrap_or(3600),
                token_type: get("token_type").unwrap_or_else(|| "bearer".into()),
                purpose: match get("type").as_deref() {
                    Some("signup") => TokensPurpose::Signup,
                    Some("recovery") => TokensPurpose::Recovery,
                    Some("invite") => TokensPurpose::Invite,
                    Some("email_change") => TokensPurpose::EmailChange,
                    _ => TokensPurpose::Login,
                },
            }));
        }
        // Its only message (verify.go's singleConfirmationAccepted); `sb` marks the redirect
        // as supabase/auth's, so a page's own `#message=` is left alone.
        let from_supabase = params.iter().any(|(key, _)| key == "sb");
        if from_supabase
            && get("message").is_some_and(|m| m.starts_with("Confirmation link accepted"))
        {
            return Some(LinkAction::EmailChangeHalfway);
        }
        if let Some(error) = get("error") {
            let description = get("error_description").unwrap_or_default();
            let code = get("error_code").unwrap_or_default();
            return Some(LinkAction::Error {
                error,
                description,
                code,
            });
        }
        None
    }
}

fn is_implicit_grant_state(state: &str) -> bool {
    Value::parse(state).is_ok_and(|v| v.str_of("auth_type") == Some("implicit"))
}

/// Takes `name` out of a query (`?a=1&code=x`): its decoded value, and the query without it
/// (other parameters as they were written).
pub fn take_param(query: &str, name: &str) -> (Option<String>, String) {
    let mut value = None;
    let rest: Vec<&str> = query
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| {
            let (key, v) = pair.split_once('=').unwrap_or((pair, ""));
            let taken = percent_decode(key) == name;
            if taken && value.is_none() {
                value = Some(percent_decode(v));
            }
            !taken
        })
        .collect();
    let rest = if rest.is_empty() {
        String::new()
    } else {
        format!("?{}", rest.join("&"))
    };
    (value, rest)
}

/// Splits `a=1&b=2` into decoded pairs, keeping their order.
pub fn parse_params(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect()
}

/// Form-style URL decoding: `+` is a space, `%XX` a byte; broken escapes stay as they are,
/// and bytes that are not UTF-8 become U+FFFD.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'+' => out.push(b' '),
            b'%' => {
                // Two hex digits exactly (from_str_radix alone would take "%+1" as 0x01).
                let hex = bytes
                    .get(i + 1..i + 3)
                    .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                    .and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Form-style URL encoding of one value (RFC 3986 unreserved characters pass through).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => {
                out.push('%');
                out.push(hex_digit(byte >> 4));
                out.push(hex_digit(byte & 15));
            }
        }
    }
    out
}

/// `0`–`F` for a value below 16.
fn hex_digit(value: u8) -> char {
    char::from_digit(u32::from(value), 16).map_or('0', |digit| digit.to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(action: Option<LinkAction>) -> String {
        match action {
            Some(LinkAction::Confirm { token })
            | Some(LinkAction::Recover { token })
            | Some(LinkAction::Invite { token })
            | Some(LinkAction::EmailChange { token }) => token,
            other => panic!("no token link: {other:?}"),
        }
    }

    #[test]
    fn reads_each_token_kind() {
        assert_eq!(
            LinkAction::from_fragment("#confirmation_token=abc"),
            Some(LinkAction::Confirm {
                token: "abc".into()
            })
        );
        assert!(matches!(
            LinkAction::from_fragment("#recovery_token=r"),
            Some(LinkAction::Recover { .. })
        ));
        assert!(matches!(
            LinkAction::from_fragment("#invite_token=i"),
            Some(LinkAction::Invite { .. })
        ));
        assert!(matches!(
            LinkAction::from_fragment("#email_change_token=e"),
            Some(LinkAction::EmailChange { .. })
        ));
    }

    #[test]
    fn decodes_tokens_and_tolerates_hash_routers() {
        assert_eq!(
            token(LinkAction::from_fragment("#/recovery_token=a%2Db%3D")),
            "a-b="
        );
        assert_eq!(token(LinkAction::from_fragment("recovery_token=x")), "x");
    }

    #[test]
    fn reads_external_login_and_errors() {
        let action = LinkAction::from_fragment(
            "#access_token=at&expires_in=60&refresh_token=rt&token_type=bearer",
        );
        assert_eq!(
            action,
            Some(LinkAction::ExternalLogin(ExternalTokens {
                access_token: "at".into(),
                refresh_token: "rt".into(),
                expires_in: 60,
                token_type: "bearer".into(),
                purpose: TokensPurpose::Login,
            }))
        );
        // supabase/auth's emailed links come back as tokens and the link's type.
        let purpose = |fragment: &str| match LinkAction::from_fragment(fragment) {
            Some(LinkAction::ExternalLogin(tokens)) => Some(tokens.purpose),
            _ => None,
        };
        assert_eq!(
            purpose("#access_token=at&type=recovery&sb="),
            Some(TokensPurpose::Recovery)
        );
        assert_eq!(
            purpose("#access_token=at&type=signup"),
            Some(TokensPurpose::Signup)
        );
        assert_eq!(
            purpose("#access_token=at&type=invite"),
            Some(TokensPurpose::Invite)
        );
        assert_eq!(
            purpose("#access_token=at&type=magiclink"),
            Some(TokensPurpose::Login)
        );
        assert_eq!(
            purpose("#access_token=at&type=email_change&sb="),
            Some(TokensPurpose::EmailChange)
        );
        // A secure email change's first link; a page's own #message= is not the server's.
        let halfway = "#message=Confirmation+link+accepted.+Please+proceed+to+confirm+link+sent+to+the+other+email&sb=";
        assert_eq!(
            LinkAction::from_fragment(halfway),
            Some(LinkAction::EmailChangeHalfway)
        );
        assert_eq!(
            LinkAction::from_fragment("#message=Confirmation+link+accepted"),
            None
        );
        assert_eq!(
            LinkAction::from_fragment(
                "#error=access_denied&error_description=Email+link+is+invalid"
            ),
            Some(LinkAction::Error {
                error: "access_denied".into(),
                description: "Email link is invalid".into(),
                code: String::new(),
            })
        );
        let expired = "#error=access_denied&error_code=otp_expired&error_description=Email+link+is+invalid+or+has+expired&sb=";
        assert!(matches!(
            LinkAction::from_fragment(expired),
            Some(LinkAction::Error { code, .. }) if code == "otp_expired"
        ));
    }

    #[test]
    fn a_pkce_redirect_is_marked_and_its_code_taken_from_the_query() {
        assert_eq!(
            LinkAction::from_fragment("#pkce"),
            Some(LinkAction::PkceCode)
        );
        assert_eq!(
            take_param("?options=%7B%7D&code=ab%2Dc&x=1", "code"),
            (Some("ab-c".into()), "?options=%7B%7D&x=1".into())
        );
        assert_eq!(
            take_param("?code=1", "code"),
            (Some("1".into()), String::new())
        );
        assert_eq!(take_param("", "code"), (None, String::new()));
    }

    #[test]
    fn leaves_decap_implicit_grant_and_other_fragments_alone() {
        let state = percent_encode(r#"{"auth_type":"implicit","nonce":"n"}"#);
        assert_eq!(
            LinkAction::from_fragment(&format!("#access_token=a&state={state}")),
            None
        );
        for other in [
            "",
            "#",
            "#section-2",
            "#/collections/posts",
            "#confirmation_token=",
            "#=&&=",
        ] {
            assert_eq!(LinkAction::from_fragment(other), None, "{other}");
        }
    }

    #[test]
    fn broken_percent_escapes_survive_without_panic() {
        assert_eq!(percent_decode("a%zz%4"), "a%zz%4");
        assert_eq!(percent_decode("%ff"), "\u{FFFD}");
        assert_eq!(
            percent_decode("%+1%-1"),
            "% 1%-1",
            "a sign is not a hex digit"
        );
        assert_eq!(percent_decode(&percent_encode("é &=+/")), "é &=+/");
    }
}
