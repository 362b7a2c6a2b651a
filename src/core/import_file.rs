//! An import file read into records, one JSON object per user, whatever its format: a JSON
//! array (our export, or GoTrue's `users` table as a database tool writes it), NDJSON (an
//! object per line), or CSV with a header row naming the columns (our CSV export, or the
//! table). What each record means is `core::admin_import`'s business.

use super::csv;
use super::json::Value;

/// Why a whole file cannot be imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileProblem {
    /// None of the formats: not a JSON list, not an object per line, not CSV with an `email`
    /// column.
    NotUsers,
    /// One of them, with nobody in it.
    Empty,
}

/// The records of `text`. A record that is not an object stays in its place (its row number
/// counts), for the caller to name.
pub fn records(text: &str) -> Result<Vec<Value>, FileProblem> {
    let text = text.trim_start_matches('\u{feff}').trim();
    let records = if text.starts_with('[') {
        match Value::parse(text) {
            Ok(Value::Array(records)) => records,
            _ => return Err(FileProblem::NotUsers),
        }
    } else if text.starts_with('{') {
        object_per_line(text)?
    } else {
        csv_records(text)?
    };
    if records.is_empty() {
        return Err(FileProblem::Empty);
    }
    Ok(records)
}

/// NDJSON. A first line that is not JSON is not NDJSON (a pretty-printed object, say), nor is
/// one object that names no `email` (`{"users": […]}`); a later line that is not JSON is a bad
/// row, kept as `null`.
fn object_per_line(text: &str) -> Result<Vec<Value>, FileProblem> {
    if let Ok(document) = Value::parse(text) {
        if document.get("email").is_none() {
            return Err(FileProblem::NotUsers);
        }
    }
    let mut lines = text.lines().map(str::trim).filter(|line| !line.is_empty());
    let first = lines.next().map(Value::parse);
    let Some(Ok(first @ Value::Object(_))) = first else {
        return Err(FileProblem::NotUsers);
    };
    let rest = lines.map(|line| Value::parse(line).unwrap_or(Value::Null));
    Ok(std::iter::once(first).chain(rest).collect())
}

/// CSV whose header row names an `email` column; each later row becomes an object of its
/// non-empty fields (a database's `\N` and `NULL` are empty). A row with more fields than the
/// header is kept as `null`.
fn csv_records(text: &str) -> Result<Vec<Value>, FileProblem> {
    let rows = csv::records(text).map_err(|_| FileProblem::NotUsers)?;
    let mut rows = rows.into_iter();
    let header: Vec<String> = rows
        .next()
        .unwrap_or_default()
        .iter()
        .map(|name| name.trim().to_ascii_lowercase())
        .collect();
    if !header.iter().any(|name| name == "email") {
        return Err(FileProblem::NotUsers);
    }
    let record = |fields: Vec<String>| {
        if fields.len() > header.len() {
            return Value::Null;
        }
        let members = header
            .iter()
            .zip(fields)
            .filter(|(_, field)| !matches!(field.as_str(), "" | "\\N" | "NULL"))
            .map(|(name, field)| (name.clone(), Value::String(field)))
            .collect();
        Value::Object(members)
    };
    Ok(rows.map(record).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn emails(records: &[Value]) -> Vec<Option<&str>> {
        records.iter().map(|r| r.str_of("email")).collect()
    }

    #[test]
    fn reads_a_json_list_an_object_per_line_and_csv() {
        let list = records("\u{feff}[{\"email\":\"a@b.c\"}, 42]").unwrap();
        assert_eq!(emails(&list), vec![Some("a@b.c"), None]);

        let ndjson =
            records("{\"email\":\"a@b.c\"}\r\n\n{\"email\":\"d@e.f\"}\nnot json\n").unwrap();
        assert_eq!(emails(&ndjson), vec![Some("a@b.c"), Some("d@e.f"), None]);

        let csv = "ID,Email,confirmed_at,raw_app_meta_data\n1,a@b.c,\\N,\"{\"\"roles\"\":[\"\"x\"\"]}\"\n2,d@e.f,NULL\n3,g@h.i,,,extra\n";
        let table = records(csv).unwrap();
        assert_eq!(emails(&table), vec![Some("a@b.c"), Some("d@e.f"), None]);
        assert_eq!(table[0].get("confirmed_at"), None, "a database's NULL");
        assert_eq!(
            table[0].str_of("raw_app_meta_data"),
            Some(r#"{"roles":["x"]}"#)
        );
        assert_eq!(table[1].str_of("id"), Some("2"));
    }

    #[test]
    fn refuses_what_is_none_of_them() {
        for text in [
            "name,mail\nAnn,a@b.c",
            "{\n  \"users\": []\n}",
            "{\"users\": []}",
            "[1, 2",
            "\"a@b.c\"",
            "id\temail\n1\ta@b.c",
            "email,\"unclosed\n",
        ] {
            assert_eq!(records(text), Err(FileProblem::NotUsers), "{text}");
        }
        for text in ["[]", "email,name\n", "  "] {
            let expected = if text.trim().is_empty() {
                FileProblem::NotUsers
            } else {
                FileProblem::Empty
            };
            assert_eq!(records(text), Err(expected), "{text:?}");
        }
    }
}
