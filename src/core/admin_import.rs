//! Moving users in: the JSON file our export writes (`core::admin_export`) read back as the
//! users to create, each row checked on its own, and the report of what became of each. The
//! import itself (`widget::admin_import`) creates the users one by one; one that exists already
//! is skipped, so a second run, or one resumed after a reload or a failure, creates nobody twice.

use super::api::Request;
use super::backend::Backend;
use super::i18n::Text;
use super::json::Value;
use super::problem::Problem;

/// A user to create, from one row of the file (rows counted from 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportRow {
    pub row: usize,
    pub email: String,
    pub name: String,
    pub roles: Vec<String>,
    /// Confirmed where it came from (`confirmed_at` set): created confirmed.
    pub confirmed: bool,
}

/// Why a whole file cannot be imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileProblem {
    NotJson,
    /// JSON, but not a list of users.
    NotAList,
    /// A list with nobody in it.
    Empty,
}

/// Why one row is left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowProblem {
    /// Not an object with the export's members.
    NotAUser,
    NoEmail,
}

/// What a file holds: the users to create, and the rows left out with the reason.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportPlan {
    pub users: Vec<ImportRow>,
    pub left_out: Vec<(usize, RowProblem)>,
}

/// Reads an export file's text.
pub fn plan(text: &str) -> Result<ImportPlan, FileProblem> {
    let Ok(value) = Value::parse(text.trim_start_matches('\u{feff}')) else {
        return Err(FileProblem::NotJson);
    };
    plan_records(&value)
}

/// Reads the export's rows (`importUsers(records)` gives them as they are).
pub fn plan_records(records: &Value) -> Result<ImportPlan, FileProblem> {
    let Value::Array(rows) = records else {
        return Err(FileProblem::NotAList);
    };
    if rows.is_empty() {
        return Err(FileProblem::Empty);
    }
    let mut plan = ImportPlan::default();
    for (index, record) in rows.iter().enumerate() {
        let row = index + 1;
        match import_row(row, record) {
            Ok(user) => plan.users.push(user),
            Err(problem) => plan.left_out.push((row, problem)),
        }
    }
    Ok(plan)
}

fn import_row(row: usize, record: &Value) -> Result<ImportRow, RowProblem> {
    if !matches!(record, Value::Object(_)) {
        return Err(RowProblem::NotAUser);
    }
    let email = record.str_of("email").map(str::trim).unwrap_or_default();
    // An address has one @ with something either side; the server checks the rest.
    let well_formed = email
        .split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty());
    if !well_formed {
        return Err(RowProblem::NoEmail);
    }
    let roles = match record.get("roles") {
        Some(Value::Array(roles)) => roles
            .iter()
            .filter_map(Value::as_str)
            .map(str::trim)
            .filter(|role| !role.is_empty())
            .map(String::from)
            .collect(),
        // The CSV export joins them with `;`; a hand-made file may do the same.
        Some(Value::String(roles)) => roles
            .split(';')
            .map(str::trim)
            .filter(|role| !role.is_empty())
            .map(String::from)
            .collect(),
        _ => Vec::new(),
    };
    Ok(ImportRow {
        row,
        email: email.to_string(),
        name: record.str_of("name").unwrap_or_default().to_string(),
        roles,
        confirmed: record
            .str_of("confirmed_at")
            .is_some_and(|at| !at.is_empty()),
    })
}

impl ImportRow {
    /// `POST /admin/users`'s attributes: no password (it cannot leave Netlify Identity), the
    /// name, the roles, and confirmed as it was.
    pub fn create_attributes(&self, backend: Backend) -> Value {
        let Value::Object(mut members) = Request::confirm_attributes(backend) else {
            return Value::Null;
        };
        if !self.confirmed {
            members.clear();
        }
        members.push(("email".into(), Value::string(self.email.as_str())));
        let mut metadata = Vec::new();
        if !self.name.is_empty() {
            metadata.push(("full_name".into(), Value::string(self.name.as_str())));
        }
        members.push(("user_metadata".into(), Value::Object(metadata)));
        let roles = self
            .roles
            .iter()
            .map(|r| Value::string(r.as_str()))
            .collect();
        let app = vec![("roles".into(), Value::Array(roles))];
        members.push(("app_metadata".into(), Value::Object(app)));
        Value::Object(members)
    }
}

impl FileProblem {
    pub fn text(self) -> Text {
        match self {
            FileProblem::NotJson => Text::ImportNotJson,
            FileProblem::NotAList => Text::ImportNotAList,
            FileProblem::Empty => Text::ImportEmpty,
        }
    }
}

impl RowProblem {
    /// "Row {row} …: it is left out."
    pub fn text(self) -> Text {
        match self {
            RowProblem::NotAUser => Text::ImportRowNotAUser,
            RowProblem::NoEmail => Text::ImportRowNoEmail,
        }
    }
}

/// What became of one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Created; with whether its set-a-password link was sent (`None`: not asked for).
    Created {
        link_sent: Option<bool>,
    },
    /// Someone with this address exists already.
    Skipped,
    Failed(Problem),
    LeftOut(RowProblem),
}

impl Outcome {
    /// Why a row was not created, in the report; `None` for one that was.
    pub fn reason(&self) -> Option<Text> {
        match self {
            Outcome::Created { .. } => None,
            Outcome::Skipped => Some(Text::ImportAlreadyHere),
            Outcome::Failed(problem) => Some(Text::for_problem(*problem)),
            Outcome::LeftOut(RowProblem::NoEmail) => Some(Text::ImportNoEmail),
            Outcome::LeftOut(RowProblem::NotAUser) => Some(Text::ImportNotAUser),
        }
    }
}

/// The import's report, a line per row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub lines: Vec<(usize, String, Outcome)>,
}

impl Report {
    /// Created, skipped and failed (rows left out count as failed).
    pub fn counts(&self) -> (usize, usize, usize) {
        let count =
            |wanted: fn(&Outcome) -> bool| self.lines.iter().filter(|(_, _, o)| wanted(o)).count();
        (
            count(|o| matches!(o, Outcome::Created { .. })),
            count(|o| matches!(o, Outcome::Skipped)),
            count(|o| matches!(o, Outcome::Failed(_) | Outcome::LeftOut(_))),
        )
    }

    /// The report as CSV: row, email, outcome, reason (`reason` in the user's words).
    pub fn to_csv(&self, reason: impl Fn(&Outcome) -> String) -> String {
        let mut out = String::from("row,email,outcome,link_sent,reason\r\n");
        for (row, email, outcome) in &self.lines {
            let (name, link) = match outcome {
                Outcome::Created { link_sent } => (
                    "created",
                    link_sent.map_or("", |sent| if sent { "yes" } else { "no" }),
                ),
                Outcome::Skipped => ("skipped", ""),
                Outcome::Failed(_) | Outcome::LeftOut(_) => ("failed", ""),
            };
            let cells = [
                row.to_string(),
                email.clone(),
                name.into(),
                link.into(),
                reason(outcome),
            ];
            let quoted: Vec<String> = cells
                .iter()
                .map(|cell| super::admin_export::csv_cell(cell))
                .collect();
            out.push_str(&quoted.join(","));
            out.push_str("\r\n");
        }
        out
    }

    /// The report as JSON, for `importUsers`: `{created, skipped, failed, rows: [{row, email,
    /// outcome, link_sent?, reason?}]}`.
    pub fn to_json(&self, reason: impl Fn(&Outcome) -> String) -> String {
        let (created, skipped, failed) = self.counts();
        let rows = self
            .lines
            .iter()
            .map(|(row, email, outcome)| {
                let mut members = vec![
                    ("row".into(), Value::number(*row as i64)),
                    ("email".into(), Value::string(email.as_str())),
                ];
                let name = match outcome {
                    Outcome::Created { link_sent } => {
                        if let Some(sent) = link_sent {
                            members.push(("link_sent".into(), Value::Bool(*sent)));
                        }
                        "created"
                    }
                    Outcome::Skipped => "skipped",
                    Outcome::Failed(_) | Outcome::LeftOut(_) => {
                        members.push(("reason".into(), Value::String(reason(outcome))));
                        "failed"
                    }
                };
                members.insert(2, ("outcome".into(), Value::string(name)));
                Value::Object(members)
            })
            .collect();
        Value::Object(vec![
            ("created".into(), Value::number(created as i64)),
            ("skipped".into(), Value::number(skipped as i64)),
            ("failed".into(), Value::number(failed as i64)),
            ("rows".into(), Value::Array(rows)),
        ])
        .to_json()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_our_export_and_names_each_bad_row() {
        let file = r#"[
            {"id":"1","email":"ann@example.com","name":"Ann","roles":["admin","editor"],"provider":"email","confirmed_at":"2026-01-01T00:00:00Z","created_at":"c","last_sign_in_at":""},
            {"id":"2","email":"","name":"Nobody"},
            42,
            {"email":"bob@example.com","roles":"a; b","confirmed_at":""}
        ]"#;
        let plan = plan(file).unwrap();
        assert_eq!(
            plan.left_out,
            vec![(2, RowProblem::NoEmail), (3, RowProblem::NotAUser)]
        );
        assert_eq!(plan.users.len(), 2);
        assert_eq!(
            plan.users[0],
            ImportRow {
                row: 1,
                email: "ann@example.com".into(),
                name: "Ann".into(),
                roles: vec!["admin".into(), "editor".into()],
                confirmed: true,
            }
        );
        assert_eq!((plan.users[1].row, plan.users[1].confirmed), (4, false));
        assert_eq!(plan.users[1].roles, vec!["a".to_string(), "b".to_string()]);
    }

    #[test]
    fn refuses_files_that_are_not_an_export() {
        assert_eq!(plan("name,email\r\nAnn,a@b.c"), Err(FileProblem::NotJson));
        assert_eq!(plan(r#"{"users":[]}"#), Err(FileProblem::NotAList));
        assert_eq!(plan("[]"), Err(FileProblem::Empty));
        assert!(
            plan("\u{feff}[{\"email\":\"a@b.c\"}]").is_ok(),
            "a byte-order mark"
        );
    }

    #[test]
    fn creates_each_user_as_it_was_on_each_server() {
        let row = ImportRow {
            row: 1,
            email: "a@b.c".into(),
            name: "Ann".into(),
            roles: vec!["admin".into()],
            confirmed: true,
        };
        assert_eq!(
            row.create_attributes(Backend::Supabase).to_json(),
            r#"{"email_confirm":true,"email":"a@b.c","user_metadata":{"full_name":"Ann"},"app_metadata":{"roles":["admin"]}}"#
        );
        let pending = ImportRow {
            confirmed: false,
            name: String::new(),
            ..row
        };
        assert_eq!(
            pending.create_attributes(Backend::Netlify).to_json(),
            r#"{"email":"a@b.c","user_metadata":{},"app_metadata":{"roles":["admin"]}}"#
        );
    }

    #[test]
    fn the_report_counts_and_lists_every_row() {
        let report = Report {
            lines: vec![
                (
                    1,
                    "a@b.c".into(),
                    Outcome::Created {
                        link_sent: Some(true),
                    },
                ),
                (2, "b@b.c".into(), Outcome::Skipped),
                (3, String::new(), Outcome::LeftOut(RowProblem::NoEmail)),
                (4, "d@b.c".into(), Outcome::Failed(Problem::ServerError)),
            ],
        };
        assert_eq!(report.counts(), (1, 1, 2));
        let csv = report.to_csv(|_| "why".into());
        assert_eq!(
            csv,
            "row,email,outcome,link_sent,reason\r\n1,a@b.c,created,yes,why\r\n2,b@b.c,skipped,,why\r\n3,,failed,,why\r\n4,d@b.c,failed,,why\r\n"
        );
        let json = Value::parse(&report.to_json(|_| "why".into())).unwrap();
        assert_eq!(json.get("created"), Some(&Value::number(1)));
        assert_eq!(json.get("failed"), Some(&Value::number(2)));
    }
}
