//! What the page's `user.admin.<method>(…)` calls ask for (gotrue-js's admin API, plus the
//! list's options and the export; `isAdmin()` needs no request: `widget::admin_calls`), read from their arguments as the page gave them: a user as
//! its id or as the user object, options as an object.

use super::admin::{Query, Sort};
use super::json::Value;

/// Users per page when `listUsers` names no `perPage` (gotrue-js's default).
const DEFAULT_PER_PAGE: u32 = 50;

/// One administrator's call.
#[derive(Clone, Debug, PartialEq)]
pub enum AdminCall {
    /// `listUsers(aud)` as gotrue-js (the audience is the server's), or
    /// `listUsers({page, perPage, filter, sort})`.
    List(Query),
    /// `getUser(user)`.
    Get(String),
    /// `updateUser(user, attributes)`.
    Update(String, Value),
    /// `createUser(email, password, attributes)`: the body GoTrue takes.
    Create(Value),
    /// `deleteUser(user)`.
    Delete(String),
    /// `inviteUser(email, data)`.
    Invite(String, Value),
    /// `sendRecoveryEmail(user)`: by the user's email.
    SendRecovery(String),
    /// `exportUsers(format)`: every user as CSV text, or (any other format) as a JSON array.
    Export { csv: bool },
    /// `importUsers(records, {sendLinks})`: the rows of an export to create (see
    /// `core::admin_import`); a link to set a password mailed to each new user if `sendLinks`.
    Import { records: Value, send_links: bool },
}

impl AdminCall {
    /// `None` for an unknown method, or arguments missing or of the wrong type.
    pub fn parse(method: &str, args: &Value) -> Option<AdminCall> {
        let items: &[Value] = match args {
            Value::Array(items) => items,
            _ => &[],
        };
        let arg = |i: usize| items.get(i).unwrap_or(&Value::Null);
        let user_id = |i: usize| match arg(i) {
            Value::String(id) if !id.is_empty() => Some(id.clone()),
            user => user.str_of("id").map(str::to_string),
        };
        // An object of attributes; none given is an empty one.
        let attributes = |i: usize| match arg(i) {
            object @ Value::Object(_) => Some(object.clone()),
            Value::Null => Some(Value::Object(Vec::new())),
            _ => None,
        };
        let count = |key: &str| {
            arg(0)
                .get(key)
                .and_then(Value::as_i64)
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| *n > 0)
        };
        Some(match method {
            "listUsers" => AdminCall::List(Query {
                page: count("page").unwrap_or(1),
                per_page: count("perPage").unwrap_or(DEFAULT_PER_PAGE),
                filter: arg(0).str_of("filter").unwrap_or_default().to_string(),
                sort: Sort::from_key(arg(0).str_of("sort").unwrap_or_default()),
            }),
            "getUser" => AdminCall::Get(user_id(0)?),
            "updateUser" => AdminCall::Update(user_id(0)?, attributes(1)?),
            "createUser" => {
                let mut body = attributes(2)?;
                body.set("email", Value::string(arg(0).as_str()?));
                body.set("password", Value::string(arg(1).as_str()?));
                AdminCall::Create(body)
            }
            "deleteUser" => AdminCall::Delete(user_id(0)?),
            "inviteUser" => AdminCall::Invite(arg(0).as_str()?.to_string(), attributes(1)?),
            "sendRecoveryEmail" => AdminCall::SendRecovery(match arg(0) {
                Value::String(email) => email.clone(),
                user => user.str_of("email")?.to_string(),
            }),
            "importUsers" => AdminCall::Import {
                records: arg(0).clone(),
                send_links: arg(1).get("sendLinks") == Some(&Value::Bool(true)),
            },
            "exportUsers" => AdminCall::Export {
                csv: arg(0).as_str() == Some("csv"),
            },
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(method: &str, args: &str) -> Option<AdminCall> {
        AdminCall::parse(method, &Value::parse(args).unwrap())
    }

    #[test]
    fn a_user_is_its_id_or_the_user_object() {
        let get = Some(AdminCall::Get("u1".into()));
        assert_eq!(parse("getUser", r#"["u1"]"#), get);
        assert_eq!(parse("getUser", r#"[{"id":"u1","email":"a@b.c"}]"#), get);
        assert_eq!(
            parse("deleteUser", r#"[{"id":"u1"}]"#),
            Some(AdminCall::Delete("u1".into()))
        );
        assert_eq!(parse("getUser", "[]"), None);
        assert_eq!(parse("getUser", r#"[""]"#), None);
        assert_eq!(parse("getUser", "[7]"), None);
        assert_eq!(
            parse("sendRecoveryEmail", r#"[{"id":"u1","email":"a@b.c"}]"#),
            Some(AdminCall::SendRecovery("a@b.c".into()))
        );
    }

    #[test]
    fn the_list_takes_options_and_gotrue_js_s_audience_alike() {
        let defaults = Some(AdminCall::List(Query {
            page: 1,
            per_page: 50,
            filter: String::new(),
            sort: Sort::NewestFirst,
        }));
        assert_eq!(parse("listUsers", "[]"), defaults);
        assert_eq!(parse("listUsers", r#"["an audience"]"#), defaults);
        assert_eq!(
            parse(
                "listUsers",
                r#"[{"page":3,"perPage":"10","filter":"ada","sort":"email"}]"#
            ),
            Some(AdminCall::List(Query {
                page: 3,
                per_page: 10,
                filter: "ada".into(),
                sort: Sort::EmailAscending,
            }))
        );
        assert_eq!(parse("listUsers", r#"[{"page":-2,"perPage":0}]"#), defaults);
    }

    #[test]
    fn attributes_are_an_object_or_nothing() {
        let update = parse("updateUser", r#"["u1",{"app_metadata":{"roles":["a"]}}]"#);
        assert!(matches!(update, Some(AdminCall::Update(id, Value::Object(_))) if id == "u1"));
        assert_eq!(
            parse("updateUser", r#"["u1"]"#),
            Some(AdminCall::Update("u1".into(), Value::Object(Vec::new())))
        );
        assert_eq!(parse("updateUser", r#"["u1","roles"]"#), None);
        let Some(AdminCall::Create(body)) = parse(
            "createUser",
            r#"["a@b.c","pw",{"user_metadata":{"full_name":"A"}}]"#,
        ) else {
            panic!("createUser")
        };
        assert_eq!(
            (body.str_of("email"), body.str_of("password")),
            (Some("a@b.c"), Some("pw"))
        );
        assert!(body.get("user_metadata").is_some());
        assert_eq!(parse("createUser", r#"["a@b.c"]"#), None);
        assert_eq!(
            parse("inviteUser", r#"["a@b.c"]"#),
            Some(AdminCall::Invite("a@b.c".into(), Value::Object(Vec::new())))
        );
    }

    #[test]
    fn the_export_and_nothing_else() {
        assert_eq!(
            parse("exportUsers", r#"["csv"]"#),
            Some(AdminCall::Export { csv: true })
        );
        assert_eq!(
            parse("exportUsers", "[]"),
            Some(AdminCall::Export { csv: false })
        );
        assert_eq!(parse("adminCheck", "[]"), None);
    }
}
