//! Renders, natively at build time, the dialogs a person can land on first
//! ([`PRERENDERED`]: log in, sign up, forgot password, set a new password, accept an invite,
//! the localhost site-URL prompt) with the same Leptos components the wasm runs, in one locale.
//! The loader shows this markup at once, before the wasm arrives (`src/js/dialog.js`); the
//! wasm then mounts its own dialog in the same state. `src/bin/prerender.rs` writes one file a
//! locale.

use crate::core::flow::{Modal, Page, PRERENDERED};
use crate::core::i18n::{Locale, Text};
use crate::core::json::Value;
use crate::core::options::Options;
use crate::widget::Widget;
use leptos::prelude::*;

/// What the loader says itself: the page's menu and button controls, and the problem its dialog
/// shows when the wasm cannot load.
pub const LOADER_TEXTS: [Text; 5] = [
    Text::TabSignup,
    Text::TabLogin,
    Text::LogIn,
    Text::LogOut,
    Text::ProblemOffline,
];

/// The modal showing `page` in `locale`, as the wasm renders it when it starts on that page:
/// open, nothing typed, nothing loaded; on the recovery page, the link still being checked.
pub fn render_page(page: Page, locale: Locale) -> String {
    Owner::new().with(|| {
        let widget = Widget::create(String::new(), Options::default(), locale);
        widget.modal.set(Modal {
            page,
            is_open: true,
            ..Modal::default()
        });
        widget.verifying.set(page == Page::SetNewPassword);
        unquoted_attributes(&without_markers(&crate::ui::to_html(widget)))
    })
}

/// Leaves out the quotes of attribute values that need none (`class=gw-tab`): HTML parses the
/// markup the same, and the loader, which carries English's pages, counts every byte. Leptos
/// quotes every value with `"` and escapes any `"` inside one, so inside a tag a `"` opens one.
fn unquoted_attributes(html: &str) -> String {
    let plain = |value: &str| {
        !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut chars = html.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' if in_tag => {
                let value: String = chars.by_ref().take_while(|&c| c != '"').collect();
                if plain(&value) {
                    out.push_str(&value);
                } else {
                    out.push('"');
                    out.push_str(&value);
                    out.push('"');
                }
                continue;
            }
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ => {}
        }
        out.push(c);
    }
    out
}

/// Drops the comments Leptos marks its dynamic parts with: they serve hydration, and this
/// markup is shown, not hydrated.
fn without_markers(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!") {
        out.push_str(rest.get(..start).unwrap_or_default());
        let after = rest.get(start..).unwrap_or_default();
        let end = if after.starts_with("<!--") {
            after.find("-->").map(|i| i + 3)
        } else {
            after.find('>').map(|i| i + 1)
        };
        rest = end.and_then(|end| after.get(end..)).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// Everything the loader needs for `locale`: `lang`, `dir`, its own texts (`loader`), and each
/// page by its legacy name; plus `texts`, the table the wasm takes (all but English).
pub fn render_locale(locale: Locale, table: Option<Value>) -> Value {
    let member = |key: &str, value: Value| (key.to_string(), value);
    let loader = LOADER_TEXTS
        .iter()
        .map(|key| member(key.name(), Value::string(locale.text(*key))))
        .collect();
    let pages = PRERENDERED
        .iter()
        .map(|page| {
            member(
                page.legacy_name(),
                Value::string(render_page(*page, locale)),
            )
        })
        .collect();
    let mut file = vec![
        member("lang", Value::string(locale.lang())),
        member(
            "dir",
            Value::string(if locale.is_rtl() { "rtl" } else { "ltr" }),
        ),
        member("loader", Value::Object(loader)),
        member("pages", Value::Object(pages)),
    ];
    if let Some(table) = table {
        file.push(member("texts", table));
    }
    Value::Object(file)
}

/// A translator's locale file (one member per key) as the table the wasm takes: the strings
/// in key order. Names the keys that are missing or unknown.
pub fn table_from_source(source: &Value) -> Result<Value, String> {
    let Value::Object(members) = source else {
        return Err("not a JSON object".into());
    };
    let missing: Vec<&str> = Text::ALL
        .iter()
        .map(|key| key.name())
        .filter(|name| source.str_of(name).is_none_or(|t| t.trim().is_empty()))
        .collect();
    let unknown: Vec<&str> = members
        .iter()
        .map(|(name, _)| name.as_str())
        .filter(|name| !Text::ALL.iter().any(|key| key.name() == *name))
        .collect();
    if !missing.is_empty() || !unknown.is_empty() {
        return Err(format!(
            "missing {}; unknown {}",
            missing.join(", "),
            unknown.join(", ")
        ));
    }
    Ok(Value::Array(
        Text::ALL
            .iter()
            .map(|key| Value::string(source.str_of(key.name()).unwrap_or_default()))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_renders_its_form_without_markers() {
        for page in PRERENDERED {
            let html = render_page(page, Locale::english());
            assert!(html.starts_with("<dialog "), "{page:?}: {html}");
            assert!(!html.contains("<!"), "{page:?}: markers left");
            assert!(
                !html.contains("> <"),
                "{page:?}: a blank placeholder text (`:empty` fails)"
            );
            assert_eq!(
                html.matches("autofocus").count(),
                1,
                "{page:?}: one first field"
            );
            assert!(html.contains("id=gw-title"), "{page:?}: a title");
        }
        let login = render_page(Page::Login, Locale::english());
        assert!(login.contains("data-go=signup") && login.contains("data-go=amnesia"));
        let recovery = render_page(Page::SetNewPassword, Locale::english());
        assert!(
            recovery.contains("Checking your link…"),
            "the link is checked first"
        );
    }

    #[test]
    fn markers_go_and_text_stays() {
        assert_eq!(without_markers("<p>a<!>b<!--<() />-->c</p>"), "<p>abc</p>");
        assert_eq!(without_markers("<!--unclosed"), "");
        assert_eq!(without_markers("x < y"), "x < y");
    }

    #[test]
    fn only_plain_values_lose_their_quotes() {
        assert_eq!(
            unquoted_attributes(r#"<p class="a-b" title="x y" alt="" data-x="a>b">"x" y="z"</p>"#),
            r#"<p class=a-b title="x y" alt="" data-x="a>b">"x" y="z"</p>"#
        );
    }

    #[test]
    fn a_locale_renders_in_its_language_and_direction() {
        let source = Value::Object(
            Text::ALL
                .iter()
                .map(|key| {
                    (
                        key.name().to_string(),
                        Value::string(format!("ar:{}", key.name())),
                    )
                })
                .collect(),
        );
        let table = table_from_source(&source).unwrap();
        let arabic = Locale::from_value("ar", &table).unwrap();
        let file = render_locale(arabic, Some(table));
        assert_eq!(file.str_of("dir"), Some("rtl"));
        let login = file.get("pages").and_then(|p| p.str_of("login")).unwrap();
        assert!(login.contains("lang=ar dir=rtl") && login.contains("ar:FieldEmail"));
        let loader = file.get("loader").unwrap();
        assert_eq!(loader.str_of("LogOut"), Some("ar:LogOut"));
        assert_eq!(loader.str_of("ProblemOffline"), Some("ar:ProblemOffline"));
        assert!(matches!(file.get("texts"), Some(Value::Array(_))));
    }

    #[test]
    fn an_incomplete_source_names_what_is_wrong() {
        let source = Value::Object(vec![("Nonsense".into(), Value::string("x"))]);
        let error = table_from_source(&source).unwrap_err();
        assert!(
            error.contains("missing Close") && error.contains("unknown Nonsense"),
            "{error}"
        );
    }
}
