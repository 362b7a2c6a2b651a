//! One user to import, read from one record of the file: our export's row (`id`, `email`,
//! `name`, `roles`, `confirmed_at`, …) or a row of GoTrue's `users` table (`id`, `email`,
//! `encrypted_password`, `confirmed_at` or `email_confirmed_at`, `raw_user_meta_data`,
//! `raw_app_meta_data`, …; the two metadata columns as objects or as JSON text). Other members
//! are ignored. Then the attributes that create that user on each server.

use super::admin;
use super::api::Request;
use super::backend::Backend;
use super::json::Value;

/// A user to create (rows counted from 1).
#[derive(Clone, Debug, PartialEq)]
pub struct ImportRow {
    pub row: usize,
    /// The id it had, kept where the server takes one (supabase/auth).
    pub id: Option<String>,
    pub email: String,
    /// Its password's bcrypt or argon2 hash; `None` for a user who never set one (invited and
    /// never accepted, or one of an external provider).
    pub password_hash: Option<String>,
    /// Confirmed where it came from: created confirmed.
    pub confirmed: bool,
    /// `user_metadata` as it was (`full_name` among it).
    pub user_metadata: Value,
    /// `app_metadata` as it was, roles among it, less what the server sets (`provider`,
    /// `providers`).
    pub app_metadata: Value,
}

/// Why one row is left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowProblem {
    /// Not an object.
    NotAUser,
    NoEmail,
    /// An `id` that is not a UUID.
    BadId,
    /// An `encrypted_password` that is neither bcrypt nor argon2.
    UnknownHash,
}

impl ImportRow {
    /// The user in `record`, row `row`; the email it names, if any, goes with a problem.
    pub fn read(row: usize, record: &Value) -> Result<ImportRow, (RowProblem, String)> {
        if !matches!(record, Value::Object(_)) {
            return Err((RowProblem::NotAUser, String::new()));
        }
        let email = record.str_of("email").map(str::trim).unwrap_or_default();
        let problem = |problem| Err((problem, email.to_string()));
        // An address has one @ with something either side; the server checks the rest.
        let well_formed = email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty());
        if !well_formed {
            return problem(RowProblem::NoEmail);
        }
        let id = text_of(record, "id");
        if id.is_some_and(|id| !is_uuid(id)) {
            return problem(RowProblem::BadId);
        }
        let password_hash = text_of(record, "encrypted_password");
        if password_hash.is_some_and(|hash| !is_password_hash(hash)) {
            return problem(RowProblem::UnknownHash);
        }
        let confirmed = ["confirmed_at", "email_confirmed_at"]
            .iter()
            .any(|key| text_of(record, key).is_some());
        Ok(ImportRow {
            row,
            id: id.map(String::from),
            email: email.to_string(),
            password_hash: password_hash.map(String::from),
            confirmed,
            user_metadata: user_metadata(record),
            app_metadata: app_metadata(record),
        })
    }

    /// `POST /admin/users`'s attributes on `backend`. supabase/auth takes the id and the hash:
    /// the user keeps both. netlify/gotrue takes neither (a new id, no password: a link to set
    /// one is the way in).
    pub fn create_attributes(&self, backend: Backend) -> Value {
        let mut members = Vec::new();
        if backend == Backend::Supabase {
            if let Some(id) = &self.id {
                members.push(("id".into(), Value::string(id.as_str())));
            }
            if let Some(hash) = &self.password_hash {
                members.push(("password_hash".into(), Value::string(hash.as_str())));
            }
        }
        if let (true, Value::Object(confirm)) =
            (self.confirmed, Request::confirm_attributes(backend))
        {
            members.extend(confirm);
        }
        members.push(("email".into(), Value::string(self.email.as_str())));
        members.push(("user_metadata".into(), self.user_metadata.clone()));
        let mut app_metadata = self.app_metadata.clone();
        for (key, value) in admin::roles_metadata(&self.roles(), backend) {
            app_metadata.set(&key, value);
        }
        members.push(("app_metadata".into(), app_metadata));
        Value::Object(members)
    }

    /// `app_metadata.roles`.
    pub fn roles(&self) -> Vec<String> {
        roles(self.app_metadata.get("roles"))
    }

    /// Whether the user arrives with the password they had (the server keeps the hash).
    pub fn keeps_password(&self, backend: Backend) -> bool {
        backend == Backend::Supabase && self.password_hash.is_some()
    }
}

/// A member as non-empty text (a database's empty string and `null` alike are "not set").
fn text_of<'a>(record: &'a Value, key: &str) -> Option<&'a str> {
    record
        .str_of(key)
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

/// An object member, or JSON text of one (a table's metadata column as a database tool wrote it).
fn object_of(record: &Value, key: &str) -> Option<Value> {
    match record.get(key)? {
        object @ Value::Object(_) => Some(object.clone()),
        Value::String(text) => match Value::parse(text) {
            Ok(object @ Value::Object(_)) => Some(object),
            _ => None,
        },
        _ => None,
    }
}

fn user_metadata(record: &Value) -> Value {
    let mut metadata = object_of(record, "raw_user_meta_data")
        .or_else(|| object_of(record, "user_metadata"))
        .unwrap_or(Value::Object(Vec::new()));
    // Our export's `name` is `full_name`.
    if let (Some(name), None) = (text_of(record, "name"), metadata.get("full_name")) {
        metadata.set("full_name", Value::string(name));
    }
    metadata
}

fn app_metadata(record: &Value) -> Value {
    let mut metadata = object_of(record, "raw_app_meta_data")
        .or_else(|| object_of(record, "app_metadata"))
        .unwrap_or(Value::Object(Vec::new()));
    // The server records how the user signs in; what the old one said would contradict it.
    metadata.remove("provider");
    metadata.remove("providers");
    let roles = roles(record.get("roles").or_else(|| metadata.get("roles")));
    metadata.set(
        "roles",
        Value::Array(roles.into_iter().map(Value::String).collect()),
    );
    metadata
}

/// Roles as an array, or as the text our CSV export writes (joined by `;`).
fn roles(value: Option<&Value>) -> Vec<String> {
    let names: Vec<&str> = match value {
        Some(Value::Array(roles)) => roles.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(roles)) => roles.split(';').collect(),
        _ => Vec::new(),
    };
    names
        .into_iter()
        .map(str::trim)
        .filter(|role| !role.is_empty())
        .map(String::from)
        .collect()
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// bcrypt (`$2a$`, `$2b$`, `$2y$`, a two-digit cost, 53 characters of salt and hash: what
/// GoTrue writes) or argon2 in the PHC format (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), the
/// two supabase/auth and Auth0 take.
pub fn is_password_hash(text: &str) -> bool {
    let made_of = |part: &str, extra: &[char]| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || extra.contains(&c))
    };
    match text.split('$').collect::<Vec<_>>().as_slice() {
        ["", version, cost, salt_and_hash] => {
            matches!(*version, "2a" | "2b" | "2y")
                && cost.len() == 2
                && cost.chars().all(|c| c.is_ascii_digit())
                && salt_and_hash.len() == 53
                && made_of(salt_and_hash, &['.', '/'])
        }
        ["", algorithm, version, parameters, salt, hash] => {
            let names = parameters.split(',').take(3).map(|p| p.split('=').next());
            matches!(*algorithm, "argon2i" | "argon2d" | "argon2id")
                && matches!(*version, "v=16" | "v=19")
                && names.eq([Some("m"), Some("t"), Some("p")])
                && made_of(salt, &['+', '/'])
                && made_of(hash, &['+', '/'])
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0b8d2b6e-3c43-4f7e-9a55-6a1a0d1c2f3e";
    const HASH: &str = "$2a$10$abcdefghijklmnopqrstuuJ1v0cCwzT0pQ5R2b4Ws6X7y8Z9a.bcd";

    fn read(json: &str) -> Result<ImportRow, (RowProblem, String)> {
        ImportRow::read(7, &Value::parse(json).unwrap())
    }

    #[test]
    fn reads_a_row_of_gotrues_users_table() {
        let row = read(&format!(
            r#"{{"id":"{ID}","email":" ann@example.com ","encrypted_password":"{HASH}","confirmed_at":"2026-01-01 10:00:00","invited_at":null,"raw_app_meta_data":"{{\"provider\":\"email\",\"roles\":[\"admin\",\" \"],\"plan\":\"pro\"}}","raw_user_meta_data":{{"full_name":"Ann","avatar":"a.png"}},"aud":"","role":"","unknown":1}}"#
        ))
        .unwrap();
        assert_eq!(row.id.as_deref(), Some(ID));
        assert_eq!(row.email, "ann@example.com");
        assert_eq!(row.password_hash.as_deref(), Some(HASH));
        assert!(row.confirmed);
        assert_eq!(
            row.user_metadata.to_json(),
            r#"{"full_name":"Ann","avatar":"a.png"}"#
        );
        assert_eq!(
            row.app_metadata.to_json(),
            r#"{"roles":["admin"],"plan":"pro"}"#
        );
        assert_eq!(
            row.create_attributes(Backend::Supabase).to_json(),
            format!(
                r#"{{"id":"{ID}","password_hash":"{HASH}","email_confirm":true,"email":"ann@example.com","user_metadata":{{"full_name":"Ann","avatar":"a.png"}},"app_metadata":{{"roles":["admin"],"plan":"pro","authorization":{{"roles":["admin"]}}}}}}"#
            )
        );
        assert!(row.keeps_password(Backend::Supabase));
        assert!(!row.keeps_password(Backend::Netlify));
        assert_eq!(
            row.create_attributes(Backend::Netlify).to_json(),
            r#"{"confirm":true,"email":"ann@example.com","user_metadata":{"full_name":"Ann","avatar":"a.png"},"app_metadata":{"roles":["admin"],"plan":"pro"}}"#
        );
    }

    #[test]
    fn reads_our_export_and_a_never_confirmed_invited_user() {
        let ours = read(
            r#"{"id":"","email":"bob@example.com","name":"Bob","roles":"a; b","confirmed_at":""}"#,
        )
        .unwrap();
        assert_eq!(
            (ours.id, ours.password_hash, ours.confirmed),
            (None, None, false)
        );
        assert_eq!(ours.user_metadata.to_json(), r#"{"full_name":"Bob"}"#);
        assert_eq!(ours.app_metadata.to_json(), r#"{"roles":["a","b"]}"#);
        let invited = read(r#"{"email":"c@example.com","encrypted_password":"","email_confirmed_at":null,"invited_at":"2026-01-01"}"#).unwrap();
        assert_eq!(
            invited.create_attributes(Backend::Supabase).to_json(),
            r#"{"email":"c@example.com","user_metadata":{},"app_metadata":{"roles":[],"authorization":{"roles":[]}}}"#
        );
    }

    #[test]
    fn names_each_bad_row_with_its_address() {
        let bad = |json: &str| read(json).err();
        assert_eq!(bad("42"), Some((RowProblem::NotAUser, String::new())));
        assert_eq!(
            bad(r#"{"email":"nobody"}"#),
            Some((RowProblem::NoEmail, "nobody".into()))
        );
        assert_eq!(
            bad(r#"{"id":"7","email":"a@b.c"}"#),
            Some((RowProblem::BadId, "a@b.c".into()))
        );
        assert_eq!(
            bad(r#"{"email":"a@b.c","encrypted_password":"5f4dcc3b5aa765d61d8327deb882cf99"}"#),
            Some((RowProblem::UnknownHash, "a@b.c".into()))
        );
    }

    #[test]
    fn knows_bcrypt_and_argon2_hashes() {
        assert!(is_password_hash(HASH));
        assert!(is_password_hash(&HASH.replace("$2a$", "$2b$")));
        assert!(is_password_hash(
            "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"
        ));
        for not in [
            "",
            "$2a$10$short",
            "$2x$10$abcdefghijklmnopqrstuuJ1v0cCwzT0pQ5R2b4Ws6X7y8Z9a.bcd",
            "$argon2id$v=19$m=65536$c2FsdA$aGFzaA",
            "$sha256$abc",
            "plain password",
        ] {
            assert!(!is_password_hash(not), "{not}");
        }
    }
}
