//! Moving users in: a file of users (`core::import_file`: our export, or GoTrue's `users`
//! table as JSON, NDJSON or CSV) read as the users to create, each row checked on its own
//! (`core::import_row`), and the report of what became of each. The import itself
//! (`widget::admin_import`) creates the users one by one; one that exists already is skipped,
//! so a second run, or one resumed after a reload or a failure, creates nobody twice.

use super::i18n::Text;
use super::import_file;
pub use super::import_file::FileProblem;
pub use super::import_row::{ImportRow, RowProblem};
use super::json::Value;
use super::problem::Problem;

/// What a file holds: the users to create, and the rows left out (row, email, why).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportPlan {
    pub users: Vec<ImportRow>,
    pub left_out: Vec<(usize, String, RowProblem)>,
}

/// Reads an import file's text.
pub fn plan(text: &str) -> Result<ImportPlan, FileProblem> {
    import_file::records(text).map(|records| plan_of(&records))
}

/// Reads records given as they are (`importUsers(records)`).
pub fn plan_records(records: &Value) -> Result<ImportPlan, FileProblem> {
    match records {
        Value::Array(records) if records.is_empty() => Err(FileProblem::Empty),
        Value::Array(records) => Ok(plan_of(records)),
        _ => Err(FileProblem::NotUsers),
    }
}

fn plan_of(records: &[Value]) -> ImportPlan {
    let mut plan = ImportPlan::default();
    for (index, record) in records.iter().enumerate() {
        let row = index + 1;
        match ImportRow::read(row, record) {
            Ok(user) => plan.users.push(user),
            Err((problem, email)) => plan.left_out.push((row, email, problem)),
        }
    }
    plan
}

impl FileProblem {
    pub fn text(self) -> Text {
        match self {
            FileProblem::NotUsers => Text::ImportNotUsers,
            FileProblem::Empty => Text::ImportEmpty,
        }
    }
}

impl RowProblem {
    /// "Row {row} ({email}) …: it is left out."
    pub fn text(self) -> Text {
        match self {
            RowProblem::NotAUser => Text::ImportRowNotAUser,
            RowProblem::NoEmail => Text::ImportRowNoEmail,
            RowProblem::BadId => Text::ImportRowBadId,
            RowProblem::UnknownHash => Text::ImportRowUnknownHash,
        }
    }

    /// The reason in the report.
    pub fn reason(self) -> Text {
        match self {
            RowProblem::NotAUser => Text::ImportNotAUser,
            RowProblem::NoEmail => Text::ImportNoEmail,
            RowProblem::BadId => Text::ImportBadId,
            RowProblem::UnknownHash => Text::ImportUnknownHash,
        }
    }
}

/// What became of one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Created, with the password it had (`password_kept`: the server took its hash) or, if
    /// asked for, a link mailed to set one (`link_sent`; `None`: not asked for, or not needed).
    Created {
        password_kept: bool,
        link_sent: Option<bool>,
    },
    /// This user is here already (the same address, and the same id where the server keeps
    /// ids): the row was imported before.
    Skipped,
    /// Not created: the address or the id belongs to someone else here.
    Conflict(Conflict),
    Failed(Problem),
    LeftOut(RowProblem),
}

/// Whose the address or the id is, when it is not this row's user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conflict {
    /// A user with this address is here under another id.
    AddressHasAnotherId,
    /// The id is another address's user.
    IdHasAnotherAddress,
}

impl Outcome {
    /// Why a row was not created, in the report; `None` for one that was.
    pub fn reason(&self) -> Option<Text> {
        match self {
            Outcome::Created { .. } => None,
            Outcome::Skipped => Some(Text::ImportAlreadyHere),
            Outcome::Conflict(Conflict::AddressHasAnotherId) => Some(Text::ImportAddressTaken),
            Outcome::Conflict(Conflict::IdHasAnotherAddress) => Some(Text::ImportIdTaken),
            Outcome::Failed(problem) => Some(Text::for_problem(*problem)),
            Outcome::LeftOut(problem) => Some(problem.reason()),
        }
    }

    /// The outcome's name in the report, and whether it counts as failed.
    fn name(&self) -> &'static str {
        match self {
            Outcome::Created { .. } => "created",
            Outcome::Skipped => "skipped",
            Outcome::Conflict(_) | Outcome::Failed(_) | Outcome::LeftOut(_) => "failed",
        }
    }
}

/// The import's report, a line per row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub lines: Vec<(usize, String, Outcome)>,
}

impl Report {
    /// Created, skipped and failed (rows left out and conflicts count as failed).
    pub fn counts(&self) -> (usize, usize, usize) {
        let count = |name| {
            self.lines
                .iter()
                .filter(|(_, _, o)| o.name() == name)
                .count()
        };
        (count("created"), count("skipped"), count("failed"))
    }

    /// The report as CSV: row, email, outcome, password (`kept`), link_sent, reason (in the
    /// user's words).
    pub fn to_csv(&self, reason: impl Fn(&Outcome) -> String) -> String {
        let mut out = String::from("row,email,outcome,password,link_sent,reason\r\n");
        for (row, email, outcome) in &self.lines {
            let (kept, link) = match outcome {
                Outcome::Created {
                    password_kept,
                    link_sent,
                } => (
                    if *password_kept { "kept" } else { "" },
                    link_sent.map_or("", |sent| if sent { "yes" } else { "no" }),
                ),
                _ => ("", ""),
            };
            let cells = [
                row.to_string(),
                email.clone(),
                outcome.name().into(),
                kept.into(),
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
    /// outcome, password_kept?, link_sent?, reason?}]}`.
    pub fn to_json(&self, reason: impl Fn(&Outcome) -> String) -> String {
        let (created, skipped, failed) = self.counts();
        let rows = self
            .lines
            .iter()
            .map(|(row, email, outcome)| {
                let mut members = vec![
                    ("row".into(), Value::number(*row as i64)),
                    ("email".into(), Value::string(email.as_str())),
                    ("outcome".into(), Value::string(outcome.name())),
                ];
                if let Outcome::Created {
                    password_kept,
                    link_sent,
                } = outcome
                {
                    if *password_kept {
                        members.push(("password_kept".into(), Value::Bool(true)));
                    }
                    if let Some(sent) = link_sent {
                        members.push(("link_sent".into(), Value::Bool(*sent)));
                    }
                } else if outcome.name() == "failed" {
                    members.push(("reason".into(), Value::String(reason(outcome))));
                }
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
    fn plans_every_format_and_names_each_bad_row_with_its_address() {
        let ours = r#"[
            {"id":"","email":"ann@example.com","name":"Ann","roles":["admin","editor"],"provider":"email","confirmed_at":"2026-01-01T00:00:00Z","created_at":"c","last_sign_in_at":""},
            {"id":"2","email":"nobody@example.com","name":"Nobody"},
            42,
            {"email":"bob@example.com","roles":"a; b","confirmed_at":""}
        ]"#;
        let table_csv = "id,email,encrypted_password,confirmed_at,raw_user_meta_data\r\n\
            ,ann@example.com,,2026-01-01 10:00:00,\"{\"\"full_name\"\":\"\"Ann\"\"}\"\r\n\
            7,nobody@example.com,,,\r\n\
            ,,,,\r\n\
            ,bob@example.com,,,\r\n";
        for file in [ours, table_csv] {
            let plan = plan(file).unwrap();
            let emails: Vec<&str> = plan.users.iter().map(|u| u.email.as_str()).collect();
            assert_eq!(emails, ["ann@example.com", "bob@example.com"], "{file}");
            assert_eq!(
                plan.users[0].user_metadata.to_json(),
                r#"{"full_name":"Ann"}"#
            );
            assert_eq!(
                (plan.users[0].confirmed, plan.users[1].confirmed),
                (true, false)
            );
            assert_eq!(
                plan.left_out[0],
                (2, "nobody@example.com".into(), RowProblem::BadId)
            );
            assert_eq!(plan.left_out[1].0, 3);
        }
    }

    #[test]
    fn refuses_files_that_hold_no_users() {
        assert_eq!(plan("name,mail\r\nAnn,a@b.c"), Err(FileProblem::NotUsers));
        assert_eq!(plan("[]"), Err(FileProblem::Empty));
        assert_eq!(plan_records(&Value::Null), Err(FileProblem::NotUsers));
        assert_eq!(
            plan_records(&Value::Array(Vec::new())),
            Err(FileProblem::Empty)
        );
    }

    #[test]
    fn the_report_counts_and_lists_every_row() {
        let created = |password_kept, link_sent| Outcome::Created {
            password_kept,
            link_sent,
        };
        let report = Report {
            lines: vec![
                (1, "a@b.c".into(), created(false, Some(true))),
                (2, "b@b.c".into(), Outcome::Skipped),
                (3, String::new(), Outcome::LeftOut(RowProblem::NoEmail)),
                (4, "d@b.c".into(), Outcome::Failed(Problem::ServerError)),
                (5, "e@b.c".into(), created(true, None)),
                (
                    6,
                    "f@b.c".into(),
                    Outcome::Conflict(Conflict::AddressHasAnotherId),
                ),
            ],
        };
        assert_eq!(report.counts(), (2, 1, 3));
        let csv = report.to_csv(|_| "why".into());
        assert_eq!(
            csv,
            "row,email,outcome,password,link_sent,reason\r\n1,a@b.c,created,,yes,why\r\n2,b@b.c,skipped,,,why\r\n3,,failed,,,why\r\n4,d@b.c,failed,,,why\r\n5,e@b.c,created,kept,,why\r\n6,f@b.c,failed,,,why\r\n"
        );
        let json = Value::parse(&report.to_json(|_| "why".into())).unwrap();
        assert_eq!(json.get("created"), Some(&Value::number(2)));
        assert_eq!(json.get("failed"), Some(&Value::number(3)));
        let Some(Value::Array(rows)) = json.get("rows") else {
            panic!("rows")
        };
        assert_eq!(
            rows[4].to_json(),
            r#"{"row":5,"email":"e@b.c","outcome":"created","password_kept":true}"#
        );
        assert_eq!(
            Outcome::Conflict(Conflict::IdHasAnotherAddress).reason(),
            Some(Text::ImportIdTaken)
        );
    }
}
