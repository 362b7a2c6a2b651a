//! Where user management's calls go and who is shown it, decided from what the widget already
//! holds — never by a request at login.
//!
//! On hosted Netlify Identity only a Netlify Function holds the operator token, so admin calls
//! go to the identity-admin function (`adminUrl`), which checks the caller's verified roles;
//! the widget shows user management to the same roles, read from the access token's claims.
//! Without `adminUrl` they go straight to GoTrue with the user's own token, which a self-hosted
//! GoTrue accepts from a user whose `role` is its admin group.

use super::api::Operation;
use super::json::Value;
use super::jwt;
use super::problem::Problem;
use super::session::Session;

/// GoTrue's admin group (`GOTRUE_JWT_ADMIN_GROUP_NAME`'s default): the user `role` a
/// self-hosted GoTrue lets call its admin API.
const GOTRUE_ADMIN_GROUP: &str = "admin";
/// The response header every answer of the identity-admin function carries
/// (`src/functions/identity-admin.mjs`): a 404 without it means no function is installed.
pub const FUNCTION_MARKER_HEADER: &str = "X-Identity-Admin";

/// The `adminUrl` and `adminRoles` options (or the script tag's `data-admin-url` and
/// `data-admin-roles`). Each field states its default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminAccess {
    /// `adminUrl`: the identity-admin function, e.g. `/.netlify/functions/identity-admin`.
    /// Default: none (admin calls go to the GoTrue API).
    pub url: Option<String>,
    /// `adminRoles`: with `url`, the `app_metadata.roles` that see user management (an array,
    /// or a comma-separated list). Default: `["admin"]`.
    pub roles: Vec<String>,
}

impl Default for AdminAccess {
    fn default() -> Self {
        AdminAccess {
            url: None,
            roles: vec![GOTRUE_ADMIN_GROUP.to_string()],
        }
    }
}

impl AdminAccess {
    /// Reads the page's options, else the script tag's data attributes (`dataset` names).
    pub fn from_json(options: &Value, script_data: &Value) -> AdminAccess {
        let pick = |key: &str| options.get(key).or_else(|| script_data.get(key));
        let url = pick("adminUrl")
            .and_then(Value::as_str)
            .map(|url| url.trim().trim_end_matches('/'))
            .filter(|url| !url.is_empty())
            .map(str::to_string);
        let roles: Vec<String> = match pick("adminRoles") {
            Some(Value::Array(roles)) => roles
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            Some(Value::String(list)) => list.split(',').map(str::to_string).collect(),
            _ => Vec::new(),
        };
        let roles: Vec<String> = roles
            .into_iter()
            .map(|role| role.trim().to_string())
            .filter(|role| !role.is_empty())
            .collect();
        AdminAccess {
            url,
            roles: if roles.is_empty() {
                AdminAccess::default().roles
            } else {
                roles
            },
        }
    }

    /// Whether `session`'s user is shown user management: with a function, one of `roles` in
    /// the access token's `app_metadata.roles` (the claims the function checks); without, the
    /// user's `role` equal to GoTrue's admin group.
    pub fn grants(&self, session: &Session) -> bool {
        if self.url.is_none() {
            return session.record().str_of("role") == Some(GOTRUE_ADMIN_GROUP);
        }
        let claims = jwt::payload(session.access_token()).unwrap_or(Value::Null);
        match claims.get("app_metadata").and_then(|m| m.get("roles")) {
            Some(Value::Array(held)) => held
                .iter()
                .filter_map(Value::as_str)
                .any(|role| self.roles.iter().any(|admin| admin == role)),
            _ => false,
        }
    }

    /// Where a request of `operation` goes: admin calls to the function when there is one.
    pub fn base_url<'a>(&'a self, api_url: &'a str, operation: Operation) -> &'a str {
        match (&self.url, operation) {
            (Some(url), Operation::Admin) => url,
            _ => api_url,
        }
    }

    /// The problem of a refused request. `marked`: the answer came from the identity-admin
    /// function; a 404 that did not means the function is not installed.
    pub fn refusal(&self, operation: Operation, status: u16, marked: bool, body: &str) -> Problem {
        if operation == Operation::Admin && self.url.is_some() && status == 404 && !marked {
            return Problem::AdminFunctionMissing;
        }
        Problem::from_response(operation, status, body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(options: &str, script: &str) -> AdminAccess {
        AdminAccess::from_json(
            &Value::parse(options).unwrap(),
            &Value::parse(script).unwrap(),
        )
    }

    /// Access tokens (unsigned: the widget only reads them) whose claims are, in order:
    /// roles `["editor"]`, `["member"]`, `"admin"` (not a list), none, `["admin"]`.
    const EDITOR: &str =
        "e30.eyJzdWIiOiJ1MSIsImFwcF9tZXRhZGF0YSI6eyJyb2xlcyI6WyJlZGl0b3IiXX19.c2ln";
    const MEMBER: &str =
        "e30.eyJzdWIiOiJ1MSIsImFwcF9tZXRhZGF0YSI6eyJyb2xlcyI6WyJtZW1iZXIiXX19.c2ln";
    const ROLES_NOT_A_LIST: &str =
        "e30.eyJzdWIiOiJ1MSIsImFwcF9tZXRhZGF0YSI6eyJyb2xlcyI6ImFkbWluIn19.c2ln";
    const NO_ROLES: &str = "e30.eyJzdWIiOiJ1MSJ9.c2ln";
    const ADMIN: &str = "e30.eyJzdWIiOiJ1MSIsImFwcF9tZXRhZGF0YSI6eyJyb2xlcyI6WyJhZG1pbiJdfX0.c2ln";

    fn session(user: &str, access_token: &str) -> Session {
        let mut record = Value::parse(user).unwrap();
        record.set(
            "token",
            Value::Object(vec![("access_token".into(), Value::string(access_token))]),
        );
        record.set("url", Value::string("/.netlify/identity"));
        Session::restore(&record.to_json()).unwrap()
    }

    #[test]
    fn options_win_over_the_script_tag_and_roles_default_to_admin() {
        assert_eq!(access("{}", "{}"), AdminAccess::default());
        let from_tag = access(
            "{}",
            r#"{"adminUrl":"/.netlify/functions/identity-admin/","adminRoles":" editor, owner ,"}"#,
        );
        assert_eq!(
            from_tag.url.as_deref(),
            Some("/.netlify/functions/identity-admin")
        );
        assert_eq!(from_tag.roles, ["editor", "owner"]);
        let both = access(
            r#"{"adminUrl":"/fn","adminRoles":["boss"]}"#,
            r#"{"adminUrl":"/tag","adminRoles":"editor"}"#,
        );
        assert_eq!(
            (both.url.as_deref(), both.roles),
            (Some("/fn"), vec!["boss".to_string()])
        );
        assert_eq!(
            access(r#"{"adminUrl":" ","adminRoles":[]}"#, "{}"),
            AdminAccess::default()
        );
    }

    #[test]
    fn with_a_function_the_token_s_roles_decide() {
        let function = access(
            r#"{"adminUrl":"/fn","adminRoles":["admin","editor"]}"#,
            "{}",
        );
        let editor = session(r#"{"id":"u1"}"#, EDITOR);
        assert!(function.grants(&editor));
        // The record's roles (or role column) are not what the function checks.
        let record_only = session(
            r#"{"id":"u1","role":"admin","app_metadata":{"roles":["admin"]}}"#,
            MEMBER,
        );
        assert!(!function.grants(&record_only));
        let odd = session(r#"{"id":"u1"}"#, ROLES_NOT_A_LIST);
        assert!(!function.grants(&odd));
    }

    #[test]
    fn without_a_function_gotrue_s_admin_group_decides() {
        let direct = AdminAccess::default();
        assert!(direct.grants(&session(r#"{"id":"u1","role":"admin"}"#, NO_ROLES)));
        let by_role = session(
            r#"{"id":"u1","role":"","app_metadata":{"roles":["admin"]}}"#,
            ADMIN,
        );
        assert!(!direct.grants(&by_role));
    }

    #[test]
    fn admin_calls_go_to_the_function_and_its_absence_is_named() {
        let function = access(r#"{"adminUrl":"/fn"}"#, "{}");
        assert_eq!(function.base_url("/api", Operation::Admin), "/fn");
        assert_eq!(function.base_url("/api", Operation::GetUser), "/api");
        assert_eq!(
            AdminAccess::default().base_url("/api", Operation::Admin),
            "/api"
        );
        let not_found = r#"{"code":404,"msg":"User not found"}"#;
        assert_eq!(
            function.refusal(Operation::Admin, 404, false, "<html>Page not found"),
            Problem::AdminFunctionMissing
        );
        assert_eq!(
            function.refusal(Operation::Admin, 404, true, not_found),
            Problem::UserNotFound
        );
        assert_eq!(
            function.refusal(
                Operation::Admin,
                403,
                true,
                r#"{"code":403,"msg":"User not allowed"}"#
            ),
            Problem::NotAllowed
        );
        assert_eq!(
            AdminAccess::default().refusal(Operation::Admin, 404, false, not_found),
            Problem::UserNotFound
        );
    }
}
