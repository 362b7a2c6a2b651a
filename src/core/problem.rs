//! Why a request failed, in the user's terms, read from GoTrue's answer: the status and the
//! error code decide (netlify/gotrue's and supabase/auth's bodies alike), each problem with a
//! translated message (`core::i18n`).

use super::api::Operation;
use super::json::Value;

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
    /// The server's password rules refused the password (supabase/auth's `weak_password`).
    WeakPassword,
    /// A new password that is the current one (supabase/auth's `same_password`).
    SamePassword,
    /// A link's token is unknown or already used.
    LinkInvalid,
    /// A PKCE link opened in a browser without its verifier (not where it was asked for).
    LinkOtherBrowser,
    /// A typed sign-in code is wrong or expired (the server does not say which).
    CodeRefused,
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
    /// `adminUrl` names a function the site does not have (a 404 not from the function).
    AdminFunctionMissing,
    /// The browser's passkey request was cancelled, timed out, or found no passkey of the site.
    PasskeyCancelled,
    /// This device already holds a passkey of the account being given one.
    PasskeyExists,
    /// The browser cannot use passkeys here (the page's origin is not the server's relying
    /// party, or it has no WebAuthn), or the server turned them off.
    PasskeyUnavailable,
    /// The server did not accept the passkey (removed from the account, or the challenge ran
    /// out).
    PasskeyRefused,
    /// The account has as many passkeys as the server allows.
    TooManyPasskeys,
    /// An authenticator app's code is wrong, or its challenge expired.
    AppCodeWrong,
    /// Too many codes were tried; the server takes more again within a minute.
    AppCodeTooMany,
    /// The account has an authenticator app and this step needs its code first (`aal2`).
    SecondStepNeeded,
    /// An authenticator app is already set up (or being set up) for the account.
    AppAlreadySetUp,
    /// A passkey's new name is empty or longer than the server keeps (checked before sending).
    PasskeyNameInvalid,
}

impl Problem {
    /// Every problem, in declaration order.
    pub const ALL: [Problem; 31] = [
        Problem::Offline,
        Problem::Timeout,
        Problem::InvalidCredentials,
        Problem::UnknownEmail,
        Problem::EmailNotConfirmed,
        Problem::UserExists,
        Problem::SignupDisabled,
        Problem::InvalidInput,
        Problem::WeakPassword,
        Problem::SamePassword,
        Problem::LinkInvalid,
        Problem::LinkOtherBrowser,
        Problem::CodeRefused,
        Problem::LinkExpired,
        Problem::SessionEnded,
        Problem::RateLimited,
        Problem::NotAllowed,
        Problem::ServerError,
        Problem::InvalidSiteUrl,
        Problem::UserNotFound,
        Problem::AdminFunctionMissing,
        Problem::PasskeyCancelled,
        Problem::PasskeyExists,
        Problem::PasskeyUnavailable,
        Problem::PasskeyRefused,
        Problem::TooManyPasskeys,
        Problem::AppCodeWrong,
        Problem::AppCodeTooMany,
        Problem::SecondStepNeeded,
        Problem::AppAlreadySetUp,
        Problem::PasskeyNameInvalid,
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
        // supabase/auth's codes (SUPABASE.md section 4, apierrors/errorcode.go) say exactly
        // what happened, whatever the operation.
        match code {
            "email_not_confirmed" => return Problem::EmailNotConfirmed,
            "invalid_credentials" => return Problem::InvalidCredentials,
            "user_already_exists" | "email_exists" => return Problem::UserExists,
            "signup_disabled" => return Problem::SignupDisabled,
            "otp_expired" | "flow_state_expired" => return Problem::LinkExpired,
            "flow_state_not_found" | "bad_code_verifier" => return Problem::LinkInvalid,
            "weak_password" => return Problem::WeakPassword,
            "same_password" => return Problem::SamePassword,
            "validation_failed" | "email_address_invalid" => return Problem::InvalidInput,
            // A token the server no longer honours, on any call: only a new login helps.
            "no_authorization"
            | "bad_jwt"
            | "session_not_found"
            | "session_expired"
            | "refresh_token_not_found"
            | "refresh_token_already_used" => return Problem::SessionEnded,
            "not_admin" | "user_banned" => return Problem::NotAllowed,
            "user_not_found" if operation == Operation::Admin => return Problem::UserNotFound,
            "over_request_rate_limit" if operation == Operation::SecondStep => {
                return Problem::AppCodeTooMany
            }
            "over_request_rate_limit" | "over_email_send_rate_limit" => {
                return Problem::RateLimited
            }
            "request_timeout" => return Problem::Timeout,
            // `/otp` without `create_user` for an address nobody has.
            "otp_disabled" if operation == Operation::SignInLink => return Problem::UnknownEmail,
            // A body the server could not read is this widget's fault, not the person's.
            "bad_json" => return Problem::ServerError,
            "insufficient_aal" => return Problem::SecondStepNeeded,
            "webauthn_credential_exists" => return Problem::PasskeyExists,
            "too_many_passkeys" => return Problem::TooManyPasskeys,
            "passkey_disabled" => return Problem::PasskeyUnavailable,
            "webauthn_verification_failed"
            | "webauthn_challenge_expired"
            | "webauthn_challenge_not_found"
            | "webauthn_credential_not_found" => return Problem::PasskeyRefused,
            "mfa_verification_failed" | "mfa_challenge_expired" => return Problem::AppCodeWrong,
            "mfa_verified_factor_exists"
            | "mfa_factor_name_conflict"
            | "too_many_enrolled_mfa_factors" => return Problem::AppAlreadySetUp,
            _ => {}
        }
        match (operation, status) {
            (Operation::SecondStep, 429) => Problem::AppCodeTooMany,
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
            (Operation::Recover | Operation::SignInLink, 404) => Problem::UnknownEmail,
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

/// A signup's successful answer that is a refusal: supabase/auth answers a signup for a
/// confirmed address with a made-up user whose `identities` are empty (and sends no mail).
pub fn signup_refusal(answer: &Value) -> Option<Problem> {
    match answer.get("identities") {
        Some(Value::Array(identities)) if identities.is_empty() => Some(Problem::UserExists),
        _ => None,
    }
}

/// Reads a successful response body as JSON; anything else is a server fault.
pub fn parse_success(body: &str) -> Result<Value, Problem> {
    match Value::parse(body) {
        // A list (supabase/auth's `GET /passkeys`) is an array; every other answer an object.
        Ok(value @ (Value::Object(_) | Value::Array(_))) => Ok(value),
        _ => Err(Problem::ServerError),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn every_supabase_error_code_of_supabase_md_has_its_own_message() {
        // SUPABASE.md section 4's cases, each as the server answers it, on the call that meets it.
        let cases = [
            (
                Operation::Login,
                400,
                "invalid_credentials",
                Problem::InvalidCredentials,
            ),
            (
                Operation::Login,
                400,
                "email_not_confirmed",
                Problem::EmailNotConfirmed,
            ),
            (
                Operation::Signup,
                422,
                "user_already_exists",
                Problem::UserExists,
            ),
            (
                Operation::Signup,
                422,
                "weak_password",
                Problem::WeakPassword,
            ),
            (
                Operation::UpdateUser,
                422,
                "same_password",
                Problem::SamePassword,
            ),
            (Operation::Verify, 403, "otp_expired", Problem::LinkExpired),
            (
                Operation::UpdateUser,
                401,
                "no_authorization",
                Problem::SessionEnded,
            ),
            (Operation::UpdateUser, 403, "bad_jwt", Problem::SessionEnded),
            (
                Operation::UpdateUser,
                403,
                "session_not_found",
                Problem::SessionEnded,
            ),
            (
                Operation::Refresh,
                400,
                "refresh_token_not_found",
                Problem::SessionEnded,
            ),
            (Operation::Admin, 403, "not_admin", Problem::NotAllowed),
            (Operation::Signup, 400, "bad_json", Problem::ServerError),
            (
                Operation::Recover,
                429,
                "over_email_send_rate_limit",
                Problem::RateLimited,
            ),
            (
                Operation::SignInLink,
                422,
                "otp_disabled",
                Problem::UnknownEmail,
            ),
        ];
        for (operation, status, code, problem) in cases {
            let body = format!(r#"{{"code":{status},"error_code":"{code}","msg":"x"}}"#);
            assert_eq!(
                Problem::from_response(operation, status, &body),
                problem,
                "{code}"
            );
        }
    }

    #[test]
    fn maps_passkey_and_second_step_refusals() {
        use Operation::{Login, Passkey, SecondStep, UpdateUser};
        let cases = [
            (
                Passkey,
                400,
                "webauthn_verification_failed",
                Problem::PasskeyRefused,
            ),
            (
                Passkey,
                400,
                "webauthn_challenge_expired",
                Problem::PasskeyRefused,
            ),
            (
                Passkey,
                422,
                "webauthn_credential_exists",
                Problem::PasskeyExists,
            ),
            (Passkey, 422, "too_many_passkeys", Problem::TooManyPasskeys),
            (
                Passkey,
                404,
                "passkey_disabled",
                Problem::PasskeyUnavailable,
            ),
            (
                SecondStep,
                422,
                "mfa_verification_failed",
                Problem::AppCodeWrong,
            ),
            (
                SecondStep,
                422,
                "mfa_challenge_expired",
                Problem::AppCodeWrong,
            ),
            (
                SecondStep,
                429,
                "over_request_rate_limit",
                Problem::AppCodeTooMany,
            ),
            (
                SecondStep,
                422,
                "mfa_verified_factor_exists",
                Problem::AppAlreadySetUp,
            ),
            // Measured: removing an app at aal1 is 422, a password change at aal1 401.
            (
                SecondStep,
                422,
                "insufficient_aal",
                Problem::SecondStepNeeded,
            ),
            (
                UpdateUser,
                401,
                "insufficient_aal",
                Problem::SecondStepNeeded,
            ),
            // Elsewhere a rate limit is the usual one.
            (Login, 429, "over_request_rate_limit", Problem::RateLimited),
        ];
        for (operation, status, code, problem) in cases {
            let body = format!(r#"{{"code":{status},"error_code":"{code}","msg":"…"}}"#);
            assert_eq!(
                Problem::from_response(operation, status, &body),
                problem,
                "{code}"
            );
        }
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
        let duplicate = Value::parse(r#"{"id":"x","email":"a@b.c","identities":[]}"#).unwrap();
        let fresh = Value::parse(r#"{"id":"x","identities":[{"id":"i"}]}"#).unwrap();
        let netlify = Value::parse(r#"{"id":"x","email":"a@b.c"}"#).unwrap();
        assert_eq!(signup_refusal(&duplicate), Some(Problem::UserExists));
        assert_eq!(
            (signup_refusal(&fresh), signup_refusal(&netlify)),
            (None, None)
        );
        assert_eq!(
            parse_success("[1]"),
            Ok(Value::Array(vec![Value::Number("1".into())]))
        );
        assert_eq!(parse_success("1"), Err(Problem::ServerError));
        assert_eq!(parse_success("{\"a\""), Err(Problem::ServerError));
    }
}
