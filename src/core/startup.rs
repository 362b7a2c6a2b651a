//! What the loader hands the wasm when it starts: the API URL, the page's options, the locale,
//! the link the URL held, and what the loader's own dialog showed before the wasm arrived
//! (the page, whether it was open, what was typed), so the wasm mounts in that state and the
//! person loses nothing. Read from one JSON object; anything missing or of the wrong type takes
//! its default, as with `init` options.

use super::flow::Page;
use super::json::Value;
use super::options::Options;

/// The loader's `start` object.
#[derive(Clone, Debug, PartialEq)]
pub struct Startup {
    /// `apiUrl`: the GoTrue endpoint; empty on localhost until the site URL is known.
    pub api_url: String,
    /// `options`: the page's `init` options, with `script`: the options the widget's script
    /// tag gives as data attributes (`browser::script_tag`), which `init`'s take precedence over.
    pub options: Options,
    /// `locale`: the shipped locale to show. Default: `en`.
    pub locale: String,
    /// `texts`: that locale's table (strings in key order); `Null` for English.
    pub texts: Value,
    /// `link`: the URL fragment the page was opened with. Default: empty.
    pub link: String,
    /// `metadata`: `open('signup', metadata)` given before the wasm; sent with the signup.
    pub signup_metadata: Option<Value>,
    /// `told`: the id of the user the page was last told of by `login` (none after a
    /// `logout`), which another tab may have changed since. Default: nobody.
    pub told: Option<String>,
    /// `takeover`: the loader's dialog. Default: none shown.
    pub takeover: Takeover,
}

/// The dialog the loader showed from markup rendered ahead of time.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Takeover {
    /// The page it showed, if it showed one.
    pub page: Option<Page>,
    /// Whether it is open now (the person may have closed it).
    pub open: bool,
    /// Every field that has an id, as the person left it.
    pub fields: Vec<FieldDraft>,
}

/// One field of the loader's dialog.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldDraft {
    pub id: String,
    /// What was typed or chosen.
    pub value: String,
    /// A checkbox's state.
    pub checked: bool,
    /// A password shown as text.
    pub shown: bool,
}

impl Startup {
    pub fn from_json(value: &Value) -> Startup {
        let text = |key: &str| value.str_of(key).unwrap_or_default().to_string();
        Startup {
            api_url: text("apiUrl"),
            options: Options::from_json(
                value.get("options").unwrap_or(&Value::Null),
                value.get("script").unwrap_or(&Value::Null),
            ),
            locale: value.str_of("locale").unwrap_or("en").to_string(),
            texts: value.get("texts").cloned().unwrap_or(Value::Null),
            link: text("link"),
            signup_metadata: value
                .get("metadata")
                .filter(|m| matches!(m, Value::Object(_)))
                .cloned(),
            told: value.str_of("told").map(String::from),
            takeover: Takeover::from_json(value.get("takeover").unwrap_or(&Value::Null)),
        }
    }
}

impl Takeover {
    fn from_json(value: &Value) -> Takeover {
        let fields = match value.get("fields") {
            Some(Value::Object(members)) => members
                .iter()
                .map(|(id, field)| FieldDraft {
                    id: id.clone(),
                    value: field.str_of("value").unwrap_or_default().to_string(),
                    checked: field.get("checked") == Some(&Value::Bool(true)),
                    shown: field.get("shown") == Some(&Value::Bool(true)),
                })
                .collect(),
            _ => Vec::new(),
        };
        let page = value.str_of("page").and_then(Page::from_legacy_name);
        Takeover {
            page,
            open: page.is_some() && value.get("open") == Some(&Value::Bool(true)),
            fields,
        }
    }

    /// The draft of the field `id`, taken once: a page built later starts empty.
    pub fn take_field(&mut self, id: &str) -> Option<FieldDraft> {
        let index = self.fields.iter().position(|f| f.id == id)?;
        Some(self.fields.swap_remove(index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Startup {
        Startup::from_json(&Value::parse(json).unwrap())
    }

    #[test]
    fn the_loaders_dialog_is_read_with_its_fields() {
        let startup = parse(
            r##"{"apiUrl":"/api","locale":"fr","link":"#recovery_token=x","told":"u1",
              "takeover":{"page":"signup","open":true,"fields":{
                "gw-email":{"value":"a@example.com"},
                "gw-password":{"value":"secret","shown":true},
                "gw-field-news":{"value":"on","checked":true}}}}"##,
        );
        assert_eq!(startup.api_url, "/api");
        assert_eq!(startup.locale, "fr");
        assert_eq!(startup.link, "#recovery_token=x");
        assert_eq!(startup.told.as_deref(), Some("u1"));
        let mut takeover = startup.takeover;
        assert_eq!((takeover.page, takeover.open), (Some(Page::Signup), true));
        let password = takeover.take_field("gw-password").unwrap();
        assert_eq!((password.value.as_str(), password.shown), ("secret", true));
        assert!(takeover.take_field("gw-field-news").unwrap().checked);
        assert_eq!(takeover.take_field("gw-password"), None, "taken once");
        assert_eq!(takeover.fields.len(), 1);
    }

    #[test]
    fn anything_missing_or_malformed_is_nothing_shown() {
        for json in [
            "{}",
            r#"{"takeover":null}"#,
            r#"{"takeover":{"page":"bogus","open":true}}"#,
            r#"{"takeover":{"open":true,"fields":[1,2]}}"#,
            r#"{"takeover":{"page":7,"open":"yes"}}"#,
        ] {
            let startup = parse(json);
            assert_eq!(startup.takeover.page, None, "{json}");
            assert!(!startup.takeover.open, "{json}");
            assert!(startup.takeover.fields.is_empty(), "{json}");
        }
        let startup = parse(r#"{"metadata":"not an object","texts":[1],"told":7}"#);
        assert_eq!(startup.locale, "en");
        assert_eq!(startup.told, None);
        assert_eq!(startup.signup_metadata, None);
        assert_eq!(startup.texts, Value::Array(vec![Value::number(1)]));
    }
}
