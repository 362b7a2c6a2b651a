//! Moving to Auth0 instead: the users of an import file (`core::admin_import`) as the JSON
//! Auth0's bulk user import takes — its published user schema: `email`, `email_verified`,
//! `user_id` (the GoTrue id), `name`, `user_metadata`, `app_metadata` (roles among it), and
//! the password's hash (`password_hash` for bcrypt, `custom_password_hash` for argon2) — split
//! into files of at most 500 KB, Auth0's limit for one import job.

use super::admin;
use super::import_row::ImportRow;
use super::json::Value;

/// Auth0's limit for one file, read as the smaller of 500 × 1,000 and 500 × 1,024 bytes.
pub const MAX_FILE_BYTES: usize = 500_000;

/// `app_metadata` members Auth0's import refuses.
const RESERVED: [&str; 18] = [
    "__tenant",
    "_id",
    "blocked",
    "clientID",
    "created_at",
    "email_verified",
    "email",
    "globalClientID",
    "global_client_id",
    "identities",
    "lastIP",
    "lastLogin",
    "loginsCount",
    "metadata",
    "multifactor_last_modified",
    "multifactor",
    "updated_at",
    "user_id",
];

/// The files for Auth0's bulk import, each a JSON array with how many users it holds, and the
/// rows (with their address) too large to fit in any file on their own.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Auth0Files {
    pub files: Vec<(String, usize)>,
    pub too_large: Vec<(usize, String)>,
}

/// Packs `users` into files in their order, each as full as 500 KB allows.
pub fn files(users: &[ImportRow]) -> Auth0Files {
    let mut out = Auth0Files::default();
    let mut file = String::from("[");
    let mut count = 0;
    for user in users {
        let text = auth0_user(user).to_json();
        // `[`, the users with a comma between each, `]`.
        if text.len() + 2 > MAX_FILE_BYTES {
            out.too_large.push((user.row, user.email.clone()));
            continue;
        }
        if file.len() + 1 + text.len() + 1 > MAX_FILE_BYTES {
            file.push(']');
            out.files
                .push((std::mem::replace(&mut file, String::from("[")), count));
            count = 0;
        }
        if count > 0 {
            file.push(',');
        }
        file.push_str(&text);
        count += 1;
    }
    if count > 0 {
        file.push(']');
        out.files.push((file, count));
    }
    out
}

/// One user as Auth0's user schema has it.
fn auth0_user(user: &ImportRow) -> Value {
    let mut members = vec![
        ("email".into(), Value::string(user.email.as_str())),
        ("email_verified".into(), Value::Bool(user.confirmed)),
    ];
    if let Some(id) = &user.id {
        members.push(("user_id".into(), Value::string(id.as_str())));
    }
    if let Some(name) = user
        .user_metadata
        .str_of("full_name")
        .filter(|n| !n.is_empty())
    {
        members.push(("name".into(), Value::string(name)));
    }
    members.push(("user_metadata".into(), user.user_metadata.clone()));
    let mut app_metadata = user.app_metadata.clone();
    for key in RESERVED {
        app_metadata.remove(key);
    }
    let (key, roles) = admin::netlify_roles(&user.roles());
    app_metadata.set(&key, roles);
    members.push(("app_metadata".into(), app_metadata));
    match user.password_hash.as_deref() {
        // The same algorithm under another name: Auth0 takes `$2a$` and `$2b$` only.
        Some(hash) if hash.starts_with("$2") => {
            let hash = hash.replacen("$2y$", "$2b$", 1);
            members.push(("password_hash".into(), Value::String(hash)));
        }
        Some(hash) => {
            let value = Value::Object(vec![
                ("value".into(), Value::string(hash)),
                ("encoding".into(), Value::string("utf8")),
            ]);
            let custom = Value::Object(vec![
                ("algorithm".into(), Value::string("argon2")),
                ("hash".into(), value),
            ]);
            members.push(("custom_password_hash".into(), custom));
        }
        None => {}
    }
    Value::Object(members)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::admin_import::plan;

    const HASH: &str = "$2y$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
    const ARGON2: &str = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";

    #[test]
    fn each_user_follows_auth0s_schema() {
        let table = format!(
            r#"[{{"id":"0b8d2b6e-3c43-4f7e-9a55-6a1a0d1c2f3e","email":"ann@example.com","encrypted_password":"{HASH}","confirmed_at":"2026-01-01","raw_user_meta_data":{{"full_name":"Ann"}},"raw_app_meta_data":{{"provider":"email","roles":["editor"],"created_at":"x","plan":"pro"}}}},
                {{"email":"bob@example.com","encrypted_password":"{ARGON2}"}},
                {{"email":"carl@example.com"}}]"#
        );
        let out = files(&plan(&table).unwrap().users);
        assert_eq!(out.files.len(), 1);
        let (text, count) = &out.files[0];
        assert_eq!(*count, 3);
        let users = Value::parse(text).unwrap();
        let Value::Array(users) = users else {
            panic!("an array")
        };
        assert_eq!(
            users[0].to_json(),
            r#"{"email":"ann@example.com","email_verified":true,"user_id":"0b8d2b6e-3c43-4f7e-9a55-6a1a0d1c2f3e","name":"Ann","user_metadata":{"full_name":"Ann"},"app_metadata":{"roles":["editor"],"plan":"pro","authorization":{"roles":["editor"]}},"password_hash":"$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"}"#
        );
        assert_eq!(
            users[1].get("custom_password_hash").map(Value::to_json),
            Some(format!(
                r#"{{"algorithm":"argon2","hash":{{"value":"{ARGON2}","encoding":"utf8"}}}}"#
            ))
        );
        assert_eq!(users[2].get("password_hash"), None);
        assert_eq!(users[2].get("email_verified"), Some(&Value::Bool(false)));
    }

    #[test]
    fn no_file_passes_500_kb_and_every_user_is_in_one() {
        let padding = "x".repeat(900);
        let rows: Vec<String> = (0..1500)
            .map(|i| {
                format!(
                    r#"{{"email":"u{i}@example.com","raw_user_meta_data":{{"bio":"{padding}"}}}}"#
                )
            })
            .collect();
        let huge = "y".repeat(MAX_FILE_BYTES);
        let table = format!(
            r#"[{},{{"email":"huge@example.com","raw_user_meta_data":{{"bio":"{huge}"}}}}]"#,
            rows.join(",")
        );
        let out = files(&plan(&table).unwrap().users);
        assert!(out.files.len() >= 3, "{} files", out.files.len());
        assert!(out
            .files
            .iter()
            .all(|(text, _)| text.len() <= MAX_FILE_BYTES));
        assert!(
            out.files[..out.files.len() - 1]
                .iter()
                .all(|(text, _)| text.len() > MAX_FILE_BYTES - 1000),
            "each file as full as it can be"
        );
        let counted: usize = out.files.iter().map(|(_, count)| count).sum();
        let parsed: usize = out
            .files
            .iter()
            .map(|(text, _)| match Value::parse(text) {
                Ok(Value::Array(users)) => users.len(),
                _ => 0,
            })
            .sum();
        assert_eq!((counted, parsed), (1500, 1500));
        assert_eq!(out.too_large, vec![(1501, "huge@example.com".to_string())]);
    }
}
