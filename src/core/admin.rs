//! User management for administrators: the `/admin/users` and `/invite` requests, the list's
//! paging and search, role editing, and the export a site needs to move off Netlify Identity.

use super::api::{Body, Method, Operation, Request};
use super::backend::Backend;
use super::fragment::percent_encode;
use super::json::Value;

/// Users per page in the list.
pub const PAGE_SIZE: u32 = 25;

/// Users per request when every page is read (an export, a search the server cannot do).
/// Neither server caps `per_page`, and each request costs about the same whatever its size:
/// 10,000 users on the local stack read in 0.9 s at 500 against 3.5 s at 100. 500 still shows
/// progress on a large site and keeps a page's answer (about 230 KB) small in wasm memory.
pub const READ_ALL_PAGE_SIZE: u32 = 500;

/// How the list is sorted (GoTrue's `sort=<field> asc|desc`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    NewestFirst,
    OldestFirst,
    EmailAscending,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::NewestFirst, Sort::OldestFirst, Sort::EmailAscending];

    /// The orders `backend`'s list offers: supabase/auth sorts by `created_at` only.
    pub fn offered(backend: Backend) -> &'static [Sort] {
        match backend {
            Backend::Netlify => &Sort::ALL,
            Backend::Supabase => &[Sort::NewestFirst, Sort::OldestFirst],
        }
    }

    fn query(self) -> &'static str {
        match self {
            Sort::NewestFirst => "created_at%20desc",
            Sort::OldestFirst => "created_at%20asc",
            Sort::EmailAscending => "email%20asc",
        }
    }

    /// The `<select>` value.
    pub fn key(self) -> &'static str {
        match self {
            Sort::NewestFirst => "newest",
            Sort::OldestFirst => "oldest",
            Sort::EmailAscending => "email",
        }
    }

    pub fn from_key(key: &str) -> Sort {
        Sort::ALL
            .into_iter()
            .find(|s| s.key() == key)
            .unwrap_or_default()
    }
}

/// One page of the users list, as asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
    /// Email or name fragment; empty for everyone.
    pub filter: String,
    pub sort: Sort,
}

impl Request {
    /// `GET /admin/users`; the caller's token decides whether the server answers.
    pub fn list_users(access_token: &str, query: &Query) -> Request {
        let mut path = format!(
            "/admin/users?page={}&per_page={}&sort={}",
            query.page.max(1),
            query.per_page.max(1),
            query.sort.query()
        );
        if !query.filter.trim().is_empty() {
            path.push_str("&filter=");
            path.push_str(&percent_encode(query.filter.trim()));
        }
        Request::new(Operation::Admin, Method::Get, path, Body::Empty).with_bearer(access_token)
    }

    pub fn get_user_by_id(access_token: &str, id: &str) -> Request {
        let path = format!("/admin/users/{}", percent_encode(id));
        Request::new(Operation::Admin, Method::Get, path, Body::Empty).with_bearer(access_token)
    }

    /// `PUT /admin/users/{id}` with `{user_metadata?, email?, app_metadata?, confirm?, …}`.
    pub fn update_user_by_id(access_token: &str, id: &str, attributes: &Value) -> Request {
        let path = format!("/admin/users/{}", percent_encode(id));
        Request::new(
            Operation::Admin,
            Method::Put,
            path,
            Body::Json(attributes.to_json()),
        )
        .with_bearer(access_token)
    }

    /// The attributes that confirm a user's address: netlify/gotrue's `confirm`, supabase/auth's
    /// `email_confirm`.
    pub fn confirm_attributes(backend: Backend) -> Value {
        let member = match backend {
            Backend::Netlify => "confirm",
            Backend::Supabase => "email_confirm",
        };
        Value::Object(vec![(member.into(), Value::Bool(true))])
    }

    /// `POST /admin/users` (gotrue-js `admin.createUser(email, password, attributes)`).
    pub fn create_user(access_token: &str, attributes: &Value) -> Request {
        let body = Body::Json(attributes.to_json());
        Request::new(Operation::Admin, Method::Post, "/admin/users", body).with_bearer(access_token)
    }

    pub fn delete_user(access_token: &str, id: &str) -> Request {
        let path = format!("/admin/users/{}", percent_encode(id));
        Request::new(Operation::Admin, Method::Delete, path, Body::Empty).with_bearer(access_token)
    }

    /// `POST /recover {email}` as an admin call, for the identity-admin function (GoTrue's own
    /// `/recover` needs no token).
    pub fn admin_recover(access_token: &str, email: &str) -> Request {
        let members = vec![("email", Value::string(email))];
        Request::json(Operation::Admin, "/recover", members).with_bearer(access_token)
    }

    /// `POST /invite {email, data}`: GoTrue mails an `#invite_token=` link.
    pub fn invite(access_token: &str, email: &str, data: Value) -> Request {
        let members = vec![("email", Value::string(email)), ("data", data)];
        Request::json(Operation::Admin, "/invite", members).with_bearer(access_token)
    }
}

/// The users of one list response (`{"aud", "users": […]}`).
pub fn users_of(response: &Value) -> Vec<Value> {
    match response.get("users") {
        Some(Value::Array(users)) => users.clone(),
        _ => Vec::new(),
    }
}

/// Pages needed for `total` users.
pub fn page_count(total: u32, per_page: u32) -> u32 {
    total.div_ceil(per_page.max(1)).max(1)
}

/// A user's fields as the list and the export show them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub roles: Vec<String>,
    pub provider: String,
    pub confirmed_at: String,
    pub invited_at: String,
    pub created_at: String,
    pub last_sign_in_at: String,
}

impl UserRow {
    pub fn from_user(user: &Value) -> UserRow {
        let text = |v: Option<&Value>, key: &str| {
            v.and_then(|v| v.str_of(key))
                .unwrap_or_default()
                .to_string()
        };
        let metadata = user.get("user_metadata");
        let app = user.get("app_metadata");
        let roles = match app.and_then(|a| a.get("roles")) {
            Some(Value::Array(roles)) => roles
                .iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect(),
            _ => Vec::new(),
        };
        UserRow {
            id: text(Some(user), "id"),
            email: text(Some(user), "email"),
            name: metadata
                .and_then(|m| m.str_of("full_name").or_else(|| m.str_of("name")))
                .unwrap_or_default()
                .to_string(),
            roles,
            provider: text(app, "provider"),
            confirmed_at: text(Some(user), "confirmed_at"),
            invited_at: text(Some(user), "invited_at"),
            created_at: text(Some(user), "created_at"),
            last_sign_in_at: text(Some(user), "last_sign_in_at"),
        }
    }

    /// "confirmed", "invited" or "unconfirmed".
    pub fn state(&self) -> AccountState {
        if !self.confirmed_at.is_empty() {
            AccountState::Confirmed
        } else if !self.invited_at.is_empty() {
            AccountState::Invited
        } else {
            AccountState::Unconfirmed
        }
    }

    /// Whether `filter` is in the email or the name, ignoring ASCII case: the fallback when
    /// the server cannot filter (netlify/gotrue on MariaDB answers 500). ASCII folding keeps
    /// Unicode case tables (~10 KB) out of the wasm.
    pub fn matches(&self, filter: &str) -> bool {
        let filter = filter.trim().to_ascii_lowercase();
        filter.is_empty()
            || self.email.to_ascii_lowercase().contains(&filter)
            || self.name.to_ascii_lowercase().contains(&filter)
    }
}

/// The date part of a GoTrue timestamp (`2026-01-31T…` → `2026-01-31`).
pub fn short_date(timestamp: &str) -> &str {
    timestamp.get(..10).unwrap_or(timestamp)
}

/// Where an account stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountState {
    Confirmed,
    Invited,
    Unconfirmed,
}

/// `PUT /admin/users/{id}` body for the user page's edits.
pub fn admin_update(name: &str, email: &str, roles: &[String], backend: Backend) -> Value {
    Value::Object(vec![
        ("email".into(), Value::string(email)),
        (
            "user_metadata".into(),
            Value::Object(vec![("full_name".into(), Value::string(name))]),
        ),
        (
            "app_metadata".into(),
            Value::Object(roles_metadata(roles, backend)),
        ),
    ])
}

/// The `app_metadata` members that hold `roles`: `roles`, and on supabase/auth also
/// `authorization.roles`, where Netlify's role-based redirects look in a token that is not
/// Netlify Identity's (README: "Role-based redirects after the move"). Both stay in step.
pub fn roles_metadata(roles: &[String], backend: Backend) -> Vec<(String, Value)> {
    let mut members = vec![("roles".into(), role_list(roles))];
    if backend == Backend::Supabase {
        members.push(netlify_roles(roles));
    }
    members
}

/// `authorization: {roles}`: where Netlify's role-based redirects read a token's roles when the
/// token is not Netlify Identity's.
pub fn netlify_roles(roles: &[String]) -> (String, Value) {
    let authorization = Value::Object(vec![("roles".into(), role_list(roles))]);
    ("authorization".into(), authorization)
}

fn role_list(roles: &[String]) -> Value {
    Value::Array(roles.iter().map(|r| Value::string(r.as_str())).collect())
}

/// Adds a typed role (trimmed, once); returns whether it was added.
pub fn add_role(roles: &mut Vec<String>, typed: &str) -> bool {
    let role = typed.trim();
    if role.is_empty() || roles.iter().any(|r| r == role) {
        return false;
    }
    roles.push(role.to_string());
    true
}

/// Every role any of `users` has, sorted, for suggestions.
pub fn known_roles(users: &[UserRow]) -> Vec<String> {
    let mut roles: Vec<String> = users.iter().flat_map(|u| u.roles.iter().cloned()).collect();
    roles.sort();
    roles.dedup();
    roles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_server_gets_its_own_confirm_member_and_sorts() {
        assert_eq!(
            Request::confirm_attributes(Backend::Supabase).to_json(),
            r#"{"email_confirm":true}"#
        );
        assert_eq!(
            Request::confirm_attributes(Backend::Netlify).to_json(),
            r#"{"confirm":true}"#
        );
        assert_eq!(Sort::offered(Backend::Netlify), &Sort::ALL);
        assert!(!Sort::offered(Backend::Supabase).contains(&Sort::EmailAscending));
    }

    fn user(json: &str) -> UserRow {
        UserRow::from_user(&Value::parse(json).unwrap())
    }

    #[test]
    fn list_requests_carry_paging_sorting_and_an_encoded_filter() {
        let query = Query {
            page: 2,
            per_page: 25,
            filter: " ann b ".into(),
            sort: Sort::EmailAscending,
        };
        let request = Request::list_users("jwt", &query);
        assert_eq!(
            request.path,
            "/admin/users?page=2&per_page=25&sort=email%20asc&filter=ann%20b"
        );
        assert_eq!(request.bearer.as_deref(), Some("jwt"));
        assert_eq!(
            Request::delete_user("jwt", "a/b").path,
            "/admin/users/a%2Fb"
        );
        assert_eq!(Request::delete_user("jwt", "id").method, Method::Delete);
        assert_eq!(Sort::from_key("oldest"), Sort::OldestFirst);
        assert_eq!(Sort::from_key("nonsense"), Sort::NewestFirst);
    }

    #[test]
    fn rows_read_names_roles_and_state() {
        let row = user(
            r#"{"id":"1","email":"a@b.c","user_metadata":{"full_name":"Ann"},"app_metadata":{"provider":"email","roles":["x",3,"y"]},"confirmed_at":"2026-01-01T00:00:00Z","created_at":"c"}"#,
        );
        assert_eq!(
            (row.name.as_str(), row.roles.clone(), row.state()),
            (
                "Ann",
                vec!["x".to_string(), "y".to_string()],
                AccountState::Confirmed
            )
        );
        assert_eq!(user(r#"{"invited_at":"t"}"#).state(), AccountState::Invited);
        assert_eq!(user("{}").state(), AccountState::Unconfirmed);
        assert!(row.matches("ANN") && row.matches("b.c") && row.matches("") && !row.matches("zed"));
    }

    #[test]
    fn roles_are_added_once_and_suggested_from_all_users() {
        let mut roles = vec!["investigator".to_string()];
        assert!(add_role(&mut roles, " photographer "));
        assert!(!add_role(&mut roles, "investigator"));
        assert!(!add_role(&mut roles, "  "));
        assert_eq!(roles, ["investigator", "photographer"]);
        let users = [
            user(r#"{"app_metadata":{"roles":["b","a"]}}"#),
            user(r#"{"app_metadata":{"roles":["a"]}}"#),
        ];
        assert_eq!(known_roles(&users), ["a", "b"]);
        let body = admin_update("N", "e@x.y", &roles, Backend::Netlify).to_json();
        assert_eq!(
            body,
            r#"{"email":"e@x.y","user_metadata":{"full_name":"N"},"app_metadata":{"roles":["investigator","photographer"]}}"#
        );
        let body = admin_update("N", "e@x.y", &roles[..1], Backend::Supabase).to_json();
        assert_eq!(
            body,
            r#"{"email":"e@x.y","user_metadata":{"full_name":"N"},"app_metadata":{"roles":["investigator"],"authorization":{"roles":["investigator"]}}}"#
        );
    }

    #[test]
    fn short_dates_keep_the_day() {
        assert_eq!(short_date("2026-11-26T21:00:00Z"), "2026-11-26");
        assert_eq!(short_date("2026"), "2026");
        assert_eq!(short_date("2026-11-2é"), "2026-11-2é");
    }

    #[test]
    fn pages_round_up() {
        assert_eq!(page_count(61, 25), 3);
        assert_eq!(page_count(50, 25), 2);
        assert_eq!(page_count(0, 25), 1);
    }
}
