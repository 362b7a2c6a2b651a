//! Which GoTrue server the widget talks to. netlify/gotrue and supabase/auth share the API's
//! shape but not every body: `/token` takes a form on netlify/gotrue and JSON only on
//! supabase/auth (a form there is 400 `bad_json`). The server is named by the `backend` option
//! or read from what `/settings` says — never guessed from the URL.

use super::json::Value;

/// A GoTrue flavour.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Backend {
    /// netlify/gotrue: hosted Netlify Identity, and the default.
    #[default]
    Netlify,
    /// supabase/auth, the maintained fork.
    Supabase,
}

impl Backend {
    /// The `backend` option: `"netlify"` or `"supabase"`; `None` for anything else (then
    /// `/settings` decides).
    pub fn from_option(value: Option<&str>) -> Option<Backend> {
        match value?.trim().to_ascii_lowercase().as_str() {
            "netlify" => Some(Backend::Netlify),
            "supabase" => Some(Backend::Supabase),
            _ => None,
        }
    }

    /// What `GET /settings` says: supabase/auth's answer names `mailer_autoconfirm` (and
    /// `phone_autoconfirm`), netlify/gotrue's `autoconfirm`.
    pub fn from_settings(settings: &Value) -> Backend {
        let has = |key: &str| settings.get(key).is_some();
        if has("mailer_autoconfirm") || has("phone_autoconfirm") {
            Backend::Supabase
        } else {
            Backend::Netlify
        }
    }

    /// The server that issued a session's access token, read from its claims: supabase/auth's
    /// carry `session_id` (and `aal`), netlify/gotrue's neither. A stored session refreshes
    /// with no `/settings` request first.
    pub fn from_claims(claims: &Value) -> Backend {
        if claims.get("session_id").is_some() || claims.get("aal").is_some() {
            Backend::Supabase
        } else {
            Backend::Netlify
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_names_it_and_settings_tell_it() {
        assert_eq!(
            Backend::from_option(Some(" Supabase")),
            Some(Backend::Supabase)
        );
        assert_eq!(
            Backend::from_option(Some("netlify")),
            Some(Backend::Netlify)
        );
        assert_eq!(Backend::from_option(Some("auto")), None);
        assert_eq!(Backend::from_option(None), None);
        let netlify = Value::parse(
            r#"{"external":{"email":true},"disable_signup":false,"autoconfirm":false}"#,
        )
        .unwrap();
        let supabase = Value::parse(r#"{"external":{"email":true},"disable_signup":false,"mailer_autoconfirm":false,"phone_autoconfirm":false,"sms_provider":""}"#).unwrap();
        assert_eq!(Backend::from_settings(&netlify), Backend::Netlify);
        assert_eq!(Backend::from_settings(&supabase), Backend::Supabase);
        assert_eq!(Backend::from_settings(&Value::Null), Backend::Netlify);
    }

    #[test]
    fn a_token_tells_who_issued_it() {
        let supabase = Value::parse(r#"{"sub":"u","aud":"authenticated","role":"authenticated","aal":"aal1","session_id":"s"}"#).unwrap();
        let netlify =
            Value::parse(r#"{"sub":"u","exp":1,"app_metadata":{},"user_metadata":{}}"#).unwrap();
        assert_eq!(Backend::from_claims(&supabase), Backend::Supabase);
        assert_eq!(Backend::from_claims(&netlify), Backend::Netlify);
    }
}
