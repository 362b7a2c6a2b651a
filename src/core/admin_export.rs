//! The export of every user, as a site needs it to move off Netlify Identity: CSV for a
//! spreadsheet, JSON for a script.

use super::admin::UserRow;
use super::json::Value;

/// The columns of the export.
const EXPORT_COLUMNS: [&str; 8] = [
    "id",
    "email",
    "name",
    "roles",
    "provider",
    "confirmed_at",
    "created_at",
    "last_sign_in_at",
];

impl UserRow {
    fn export_fields(&self) -> [String; 8] {
        [
            self.id.clone(),
            self.email.clone(),
            self.name.clone(),
            self.roles.join(";"),
            self.provider.clone(),
            self.confirmed_at.clone(),
            self.created_at.clone(),
            self.last_sign_in_at.clone(),
        ]
    }
}

/// The export as CSV (RFC 4180; roles joined with `;`). Cells that a spreadsheet would run as a
/// formula get a leading `'`.
pub fn export_csv(users: &[UserRow]) -> String {
    let mut out = EXPORT_COLUMNS.join(",");
    out.push_str("\r\n");
    for user in users {
        let cells: Vec<String> = user
            .export_fields()
            .iter()
            .map(|cell| csv_cell(cell))
            .collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

pub(crate) fn csv_cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// The export as a JSON array of objects with the same columns (roles as an array).
pub fn export_json(users: &[UserRow]) -> String {
    let rows = users
        .iter()
        .map(|user| {
            let fields = user.export_fields();
            let members = EXPORT_COLUMNS
                .iter()
                .zip(fields)
                .map(|(key, value)| {
                    let value = if *key == "roles" {
                        Value::Array(
                            user.roles
                                .iter()
                                .map(|r| Value::string(r.as_str()))
                                .collect(),
                        )
                    } else {
                        Value::String(value)
                    };
                    (key.to_string(), value)
                })
                .collect();
            Value::Object(members)
        })
        .collect();
    Value::Array(rows).to_json()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(json: &str) -> UserRow {
        UserRow::from_user(&Value::parse(json).unwrap())
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let rows = [user(
            r#"{"id":"1","email":"a@b.c","user_metadata":{"full_name":"=HYPERLINK(\"x\")"},"app_metadata":{"provider":"email","roles":["r1","r2"]}}"#,
        )];
        let csv = export_csv(&rows);
        assert_eq!(csv, "id,email,name,roles,provider,confirmed_at,created_at,last_sign_in_at\r\n1,a@b.c,\"'=HYPERLINK(\"\"x\"\")\",r1;r2,email,,,\r\n");
        let json = Value::parse(&export_json(&rows)).unwrap();
        let Value::Array(items) = json else {
            panic!("not an array")
        };
        assert_eq!(
            items[0].get("roles"),
            Some(&Value::Array(vec![
                Value::string("r1"),
                Value::string("r2")
            ]))
        );
        assert_eq!(items[0].str_of("email"), Some("a@b.c"));
    }
}
