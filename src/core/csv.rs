//! Reading CSV (RFC 4180): fields split by commas, quoted where they hold a comma, a quote or a
//! line break, `""` for a quote inside quotes, lines ended by CRLF or LF: what database tools
//! and spreadsheets write for a table.

/// Why a text is not CSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvProblem {
    /// A quoted field runs to the end of the text.
    UnclosedQuote,
    /// Something other than a comma or a line break after a closing quote.
    TextAfterQuote,
}

/// Every record of `text`, each a list of fields; blank lines are skipped.
pub fn records(text: &str) -> Result<Vec<Vec<String>>, CsvProblem> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    // Whether the record under way has anything in it (a blank line has not).
    let mut started = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if field.is_empty() => {
                started = true;
                loop {
                    match chars.next() {
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        Some('"') => break,
                        Some(c) => field.push(c),
                        None => return Err(CsvProblem::UnclosedQuote),
                    }
                }
                if !matches!(chars.peek(), None | Some(',' | '\r' | '\n')) {
                    return Err(CsvProblem::TextAfterQuote);
                }
            }
            ',' => {
                started = true;
                record.push(std::mem::take(&mut field));
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                if started {
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                }
                started = false;
            }
            c => {
                started = true;
                field.push(c);
            }
        }
    }
    if started {
        record.push(field);
        records.push(record);
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|row| row.iter().map(|f| f.to_string()).collect())
            .collect()
    }

    #[test]
    fn reads_quoted_fields_line_breaks_and_empty_fields() {
        let text = "id,email,raw_user_meta_data\r\n1,a@b.c,\"{\"\"full_name\"\":\"\"Ann, B\"\"}\"\n\n2,,\"two\nlines\"\n3,c@d.e,";
        assert_eq!(
            records(text),
            Ok(fields(&[
                &["id", "email", "raw_user_meta_data"],
                &["1", "a@b.c", r#"{"full_name":"Ann, B"}"#],
                &["2", "", "two\nlines"],
                &["3", "c@d.e", ""],
            ]))
        );
    }

    #[test]
    fn names_what_is_not_csv() {
        assert_eq!(records("a,\"b"), Err(CsvProblem::UnclosedQuote));
        assert_eq!(records("a,\"b\"c"), Err(CsvProblem::TextAfterQuote));
        assert_eq!(records(""), Ok(Vec::new()));
        assert_eq!(records("\"\"\n"), Ok(fields(&[&[""]])));
    }
}
