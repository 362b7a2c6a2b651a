//! `prerender SOURCES OUT`: renders the first dialogs in every shipped locale (see
//! `gotrue_widget::prerender`) and writes `OUT/<code>.json` for each: English from the
//! compiled-in texts, the others from the translators' `SOURCES/<code>.json`; and
//! `OUT/chunks/account_security.json`, the English of the texts the wasm fetches with that chunk.

use gotrue_widget::core::i18n::{Locale, Text, CODES};
use gotrue_widget::core::json::Value;
use gotrue_widget::prerender::{render_locale, table_from_source};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [sources, out] = args.as_slice() else {
        eprintln!("usage: prerender SOURCES OUT");
        return ExitCode::from(2);
    };
    match write_all(sources, out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("prerender: {error}");
            ExitCode::FAILURE
        }
    }
}

fn write_all(sources: &str, out: &str) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{out}: {e}"))?;
    for code in CODES {
        let file = if code == "en" {
            render_locale(Locale::english(), None)
        } else {
            let path = format!("{sources}/{code}.json");
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
            let source =
                Value::parse(&text).map_err(|e| format!("{path}: not JSON at {}", e.offset))?;
            let table = table_from_source(&source).map_err(|e| format!("{path}: {e}"))?;
            let locale = Locale::from_value(code, &table).ok_or(format!("{path}: no locale"))?;
            render_locale(locale, Some(table))
        };
        let path = format!("{out}/{code}.json");
        std::fs::write(&path, file.to_json()).map_err(|e| format!("{path}: {e}"))?;
    }
    let chunks = format!("{out}/chunks");
    std::fs::create_dir_all(&chunks).map_err(|e| format!("{chunks}: {e}"))?;
    let english = Text::ACCOUNT_SECURITY
        .iter()
        .map(|key| Value::string(key.english()))
        .collect();
    let path = format!("{chunks}/account_security.json");
    std::fs::write(&path, Value::Array(english).to_json()).map_err(|e| format!("{path}: {e}"))?;
    println!("prerender: {} locales × 6 dialogs", CODES.len());
    Ok(())
}
