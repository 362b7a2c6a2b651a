//! The `nf_jwt` and `nf_refresh` cookies against the session: which of the two the page keeps.
//! Other code writes them too: `@netlify/identity` in the page (after its login, refresh or
//! logout) and in functions (its server-side `login()` and `refreshSession()` answer with
//! `Set-Cookie`), and GoTrue expires `nf_jwt` on a logout or a bad token, whoever sent it. The
//! stored record is followed first (`widget::session`); what is left to settle is here.

use super::json::Value;
use super::jwt;
use super::session::Session;

/// What to do about the cookies the page's scripts can read.
#[derive(Clone, Debug, PartialEq)]
pub enum CookieAction {
    /// They hold the session's tokens, or nothing when there is no session.
    InStep,
    /// They hold tokens of the same user issued after the session's, both of them new (a
    /// function or another tab refreshed them): the session takes them, since the refresh
    /// token it holds is spent.
    TakeTokens(Value),
    /// They hold a login newer than the session (another user's, or one with no session
    /// here): log in with them. The server's `GET /user` decides whether they still count.
    LogIn(Value),
    /// Anything else (one of the two missing, expired by the server, older, not a token):
    /// write the session's tokens, or expire the cookies when there is no session.
    Write,
}

/// Compares the cookies' values (`None`: absent) with `session`.
pub fn compare(
    session: Option<&Session>,
    jwt: Option<&str>,
    refresh: Option<&str>,
) -> CookieAction {
    let (Some(jwt), Some(refresh)) = (jwt, refresh) else {
        return match (session, jwt, refresh) {
            (None, None, None) => CookieAction::InStep,
            _ => CookieAction::Write,
        };
    };
    let Some(session) = session else {
        return token_response(jwt, refresh, None).map_or(CookieAction::Write, CookieAction::LogIn);
    };
    if session.access_token() == jwt && session.refresh_token() == Some(refresh) {
        return CookieAction::InStep;
    }
    let Some(claims) = jwt::payload(jwt) else {
        return CookieAction::Write;
    };
    let issued_later = claims
        .get("exp")
        .and_then(Value::as_i64)
        .and_then(|exp| exp.checked_mul(1000))
        .zip(session.expires_at_ms())
        .is_some_and(|(cookie, ours)| cookie > ours);
    // The server's lifetime, which the cookies do not say, is the session's.
    let lifetime_s = session
        .record()
        .get("token")
        .and_then(|t| t.get("expires_in"));
    // A newer `nf_jwt` beside the session's own refresh token is half of someone's two writes
    // (another tab's refresh, read between them): that refresh token is spent by now.
    let both_new = session.refresh_token() != Some(refresh);
    let Some(tokens) =
        token_response(jwt, refresh, lifetime_s).filter(|_| issued_later && both_new)
    else {
        return CookieAction::Write;
    };
    if claims.str_of("sub") == Some(session.user_id()) {
        CookieAction::TakeTokens(tokens)
    } else {
        CookieAction::LogIn(tokens)
    }
}

/// The cookies as a token response; the token's `exp` says when it expires, `lifetime_s` (if
/// known) for how long it was issued.
fn token_response(jwt: &str, refresh: &str, lifetime_s: Option<&Value>) -> Option<Value> {
    let claims = jwt::payload(jwt)?;
    claims.str_of("sub")?;
    let mut tokens = Value::Object(vec![
        ("access_token".into(), Value::string(jwt)),
        ("token_type".into(), Value::string("bearer")),
        ("refresh_token".into(), Value::string(refresh)),
    ]);
    if let Some(lifetime_s) = lifetime_s {
        tokens.set("expires_in", lifetime_s.clone());
    }
    Some(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An unsigned token with `sub` and `exp` (the widget only reads the payload).
    fn token(sub: &str, exp: i64) -> String {
        let payload = format!(r#"{{"sub":"{sub}","exp":{exp}}}"#);
        format!("e30.{}.sig", base64url(payload.as_bytes()))
    }

    fn base64url(bytes: &[u8]) -> String {
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let mut buffer = [0u8; 3];
            buffer[..chunk.len()].copy_from_slice(chunk);
            let n =
                (u32::from(buffer[0]) << 16) | (u32::from(buffer[1]) << 8) | u32::from(buffer[2]);
            for i in 0..=chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            }
        }
        out
    }

    fn session(sub: &str, exp: i64, refresh: &str) -> Session {
        let tokens = Value::parse(&format!(
            r#"{{"access_token":"{}","token_type":"bearer","expires_in":3600,"refresh_token":"{refresh}"}}"#,
            token(sub, exp)
        ))
        .unwrap();
        let user = Value::parse(&format!(r#"{{"id":"{sub}","email":"a@b.c"}}"#)).unwrap();
        Session::new(
            &tokens,
            &user,
            "/.netlify/identity",
            "",
            exp * 1000 - 3_600_000,
        )
        .unwrap()
    }

    #[test]
    fn the_sessions_own_tokens_or_nothing_for_nobody_are_in_step() {
        let ours = session("u1", 2000, "r1");
        let jwt = token("u1", 2000);
        assert_eq!(
            compare(Some(&ours), Some(&jwt), Some("r1")),
            CookieAction::InStep
        );
        assert_eq!(compare(None, None, None), CookieAction::InStep);
    }

    #[test]
    fn a_missing_half_an_older_token_or_garbage_is_overwritten() {
        let ours = session("u1", 2000, "r1");
        // GoTrue expires nf_jwt alone on a logout or a bad token.
        assert_eq!(compare(Some(&ours), None, Some("r1")), CookieAction::Write);
        assert_eq!(compare(Some(&ours), None, None), CookieAction::Write);
        assert_eq!(compare(None, None, Some("r1")), CookieAction::Write);
        assert_eq!(
            compare(None, Some(&token("u1", 2000)), None),
            CookieAction::Write
        );
        let older = token("u1", 1000);
        assert_eq!(
            compare(Some(&ours), Some(&older), Some("r0")),
            CookieAction::Write
        );
        // Issued in the same second is not newer: two tabs in step never take turns.
        assert_eq!(
            compare(Some(&ours), Some(&token("u1", 2000)), Some("r2")),
            CookieAction::Write
        );
        assert_eq!(
            compare(Some(&ours), Some("not-a-jwt"), Some("r2")),
            CookieAction::Write
        );
        assert_eq!(
            compare(None, Some("not-a-jwt"), Some("r2")),
            CookieAction::Write
        );
    }

    #[test]
    fn newer_tokens_of_the_same_user_are_taken() {
        let ours = session("u1", 2000, "r1");
        let newer = token("u1", 2600);
        let CookieAction::TakeTokens(tokens) = compare(Some(&ours), Some(&newer), Some("r2"))
        else {
            panic!("the newer tokens are taken")
        };
        assert_eq!(tokens.str_of("access_token"), Some(newer.as_str()));
        assert_eq!(tokens.str_of("refresh_token"), Some("r2"));
        assert_eq!(tokens.get("expires_in"), Some(&Value::number(3600)));
    }

    #[test]
    fn a_newer_access_token_beside_the_sessions_own_refresh_token_is_not_taken() {
        // Read between another tab's two writes: its nf_jwt is new, nf_refresh not yet, and
        // the refresh token the session holds is the one that tab just spent.
        let ours = session("u1", 2000, "r1");
        assert_eq!(
            compare(Some(&ours), Some(&token("u1", 2600)), Some("r1")),
            CookieAction::Write
        );
    }

    #[test]
    fn a_newer_login_or_one_with_no_session_here_logs_in() {
        let ours = session("u1", 2000, "r1");
        let theirs = token("u2", 2600);
        assert!(matches!(
            compare(Some(&ours), Some(&theirs), Some("r9")),
            CookieAction::LogIn(_)
        ));
        let CookieAction::LogIn(tokens) = compare(None, Some(&theirs), Some("r9")) else {
            panic!("a login from the cookies")
        };
        assert_eq!(tokens.str_of("refresh_token"), Some("r9"));
        // Someone else's older token is not a login.
        assert_eq!(
            compare(Some(&ours), Some(&token("u2", 1000)), Some("r9")),
            CookieAction::Write
        );
    }
}
