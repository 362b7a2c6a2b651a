//! The options of `init(options)` beyond the API URL, read from the page's object (as JSON).
//! Unknown members are ignored and a member of the wrong type takes its default, so a typo
//! never stops the widget.

use super::admin_access::AdminAccess;
use super::backend::Backend;
use super::json::Value;

/// `init(options)`. Each field states its default.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Options {
    /// `cookieDomain`: the `domain` of the `nf_jwt` cookie. Default: none (the page's host).
    pub cookie_domain: Option<String>,
    /// `namePlaceholder`: placeholder of the signup form's name field. Default: none.
    pub name_placeholder: Option<String>,
    /// `logo`: an image URL shown in the dialog's header. Default: none (`false` and the old
    /// widget's `true`, whose Netlify logo is not ours to show, give none too).
    pub logo: Option<String>,
    /// `siteName`: the site's name in the dialog's header. Default: none.
    pub site_name: Option<String>,
    /// `signupFields`: extra signup fields, saved in `user_metadata`. Default: none.
    pub signup_fields: Vec<SignupField>,
    /// `consent`: a required terms/privacy checkbox on signup. Default: none.
    pub consent: Option<Consent>,
    /// `closeAfterLogin`: close the dialog after a login. Default: false (it shows "Logged in as").
    pub close_after_login: bool,
    /// `redirectAfterLogin`: a URL to go to after a login. Default: none.
    pub redirect_after_login: Option<String>,
    /// `adminUrl` and `adminRoles`: where user management's calls go and who sees it.
    /// Default: straight to GoTrue, for GoTrue's admin group (see [`AdminAccess`]).
    pub admin: AdminAccess,
    /// `backend`: `"netlify"` or `"supabase"`, the server's flavour. Default: none — what
    /// `/settings` says (see [`Backend`]).
    pub backend: Option<Backend>,
    /// `flowType`: `"pkce"` for supabase/auth's PKCE flow (`core::pkce`): emailed links come back
    /// with a one-time code only this browser can exchange. Default: `"implicit"` (tokens).
    pub pkce: bool,
    /// `apiKey`: a hosted Supabase project's public (anon or publishable) key, sent as
    /// `apikey` with every request to the API, which its gateway requires. Default: none.
    pub api_key: Option<String>,
    /// `httpOnlyCookie`: GoTrue sets `nf_jwt` itself, HttpOnly (asked with `x-use-cookie`), and
    /// no `nf_refresh` is written: the page's scripts (`@netlify/identity` among them) cannot
    /// read either. Default: false — the widget writes both, readable, in step with the session.
    pub http_only_cookie: bool,
}

/// A text the page gives per locale: `"Company"` or `{"en": "Company", "fr": "Société"}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LocalText(Vec<(String, String)>);

impl LocalText {
    fn from_json(value: &Value) -> Option<LocalText> {
        match value {
            Value::String(text) if !text.is_empty() => {
                Some(LocalText(vec![("en".into(), text.clone())]))
            }
            Value::Object(members) => {
                let texts: Vec<(String, String)> = members
                    .iter()
                    .filter_map(|(code, text)| Some((code.clone(), text.as_str()?.to_string())))
                    .filter(|(_, text)| !text.is_empty())
                    .collect();
                (!texts.is_empty()).then_some(LocalText(texts))
            }
            _ => None,
        }
    }

    /// The text for `locale`, else English, else the first one given.
    pub fn get(&self, locale: &str) -> &str {
        let find = |code: &str| self.0.iter().find(|(c, _)| c == code).map(|(_, t)| t);
        find(locale)
            .or_else(|| find("en"))
            .or_else(|| self.0.first().map(|(_, t)| t))
            .map_or("", String::as_str)
    }
}

/// One extra signup field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignupField {
    /// The `user_metadata` member it fills (also the input's name).
    pub name: String,
    pub label: LocalText,
    pub kind: FieldKind,
    /// Default: false.
    pub required: bool,
}

/// What a signup field asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// A line of text, saved as a string.
    Text,
    /// A checkbox, saved as true or false.
    Checkbox,
    /// A choice among `(value, label)` pairs, saved as the value.
    Select(Vec<(String, LocalText)>),
}

/// The consent checkbox: its label and the documents it links.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consent {
    /// Default: the widget's own "I agree to the terms and the privacy policy." text.
    pub label: Option<LocalText>,
    pub terms_url: Option<String>,
    pub privacy_url: Option<String>,
}

/// Names the page may not take for its fields: they are the widget's own.
const RESERVED_FIELDS: [&str; 2] = ["full_name", "consent_at"];

impl Options {
    /// Reads the page's options object (as JSON) and the script tag's data attributes (as
    /// `dataset` names them), which give what the options do not.
    pub fn from_json(options: &Value, script_data: &Value) -> Options {
        let text = |key: &str| {
            options
                .str_of(key)
                .filter(|s| !s.trim().is_empty())
                .map(str::to_string)
        };
        let flag = |key: &str| options.get(key) == Some(&Value::Bool(true));
        Options {
            cookie_domain: text("cookieDomain"),
            name_placeholder: text("namePlaceholder"),
            logo: text("logo"),
            site_name: text("siteName"),
            signup_fields: match options.get("signupFields") {
                Some(Value::Array(fields)) => {
                    fields.iter().filter_map(SignupField::from_json).collect()
                }
                _ => Vec::new(),
            },
            consent: match options.get("consent") {
                Some(Value::Bool(true)) => Some(Consent::from_json(&Value::Null)),
                Some(value @ Value::Object(_)) => Some(Consent::from_json(value)),
                _ => None,
            },
            close_after_login: flag("closeAfterLogin"),
            redirect_after_login: text("redirectAfterLogin"),
            admin: AdminAccess::from_json(options, script_data),
            backend: Backend::from_option(options.str_of("backend")),
            pkce: options.str_of("flowType") == Some("pkce"),
            api_key: text("apiKey"),
            http_only_cookie: flag("httpOnlyCookie"),
        }
    }
}

impl Options {
    /// Whether the dialog goes away after a login (closed, or the page left).
    pub fn leaves_after_login(&self) -> bool {
        self.close_after_login || self.redirect_after_login.is_some()
    }
}

impl SignupField {
    fn from_json(field: &Value) -> Option<SignupField> {
        let name = field.str_of("name").filter(|n| !n.is_empty())?;
        if RESERVED_FIELDS.contains(&name) {
            return None;
        }
        let kind = match field.str_of("type").unwrap_or("text") {
            "text" => FieldKind::Text,
            "checkbox" => FieldKind::Checkbox,
            "select" => {
                let Some(Value::Array(choices)) = field.get("options") else {
                    return None;
                };
                let choices: Vec<(String, LocalText)> = choices
                    .iter()
                    .filter_map(|choice| match choice {
                        Value::String(value) => {
                            Some((value.clone(), LocalText::from_json(choice)?))
                        }
                        _ => {
                            let value = choice.str_of("value")?.to_string();
                            let label = choice
                                .get("label")
                                .and_then(LocalText::from_json)
                                .unwrap_or_else(|| LocalText(vec![("en".into(), value.clone())]));
                            Some((value, label))
                        }
                    })
                    .collect();
                if choices.is_empty() {
                    return None;
                }
                FieldKind::Select(choices)
            }
            _ => return None,
        };
        Some(SignupField {
            name: name.to_string(),
            label: field
                .get("label")
                .and_then(LocalText::from_json)
                .unwrap_or_else(|| LocalText(vec![("en".into(), name.to_string())])),
            kind,
            required: field.get("required") == Some(&Value::Bool(true)),
        })
    }
}

impl Consent {
    fn from_json(consent: &Value) -> Consent {
        let url = |key: &str| {
            consent
                .str_of(key)
                .filter(|u| !u.is_empty())
                .map(str::to_string)
        };
        Consent {
            label: consent.get("label").and_then(LocalText::from_json),
            terms_url: url("termsUrl"),
            privacy_url: url("privacyUrl"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(json: &str) -> Options {
        Options::from_json(&Value::parse(json).unwrap(), &Value::Null)
    }

    #[test]
    fn nothing_given_is_every_default() {
        assert_eq!(options("{}"), Options::default());
        assert_eq!(
            options(r#"{"logo":true,"closeAfterLogin":"yes"}"#),
            Options::default()
        );
    }

    #[test]
    fn logo_site_name_and_after_login_are_read() {
        let read = options(
            r#"{"logo":"/logo.svg","siteName":"Acme","closeAfterLogin":true,"redirectAfterLogin":"/members/"}"#,
        );
        assert_eq!(read.logo.as_deref(), Some("/logo.svg"));
        assert_eq!(read.site_name.as_deref(), Some("Acme"));
        assert!(read.close_after_login);
        assert_eq!(read.redirect_after_login.as_deref(), Some("/members/"));
    }

    #[test]
    fn the_server_keeps_the_cookie_only_when_asked() {
        assert!(!options("{}").http_only_cookie);
        assert!(!options(r#"{"httpOnlyCookie":"yes"}"#).http_only_cookie);
        assert!(options(r#"{"httpOnlyCookie":true}"#).http_only_cookie);
    }

    #[test]
    fn signup_fields_take_labels_per_locale_and_skip_what_is_malformed() {
        let read = options(
            r#"{"signupFields":[
                {"name":"company","label":{"en":"Company","fr":"Société"},"required":true},
                {"name":"newsletter","type":"checkbox","label":"Send me news"},
                {"name":"plan","type":"select","label":"Plan","options":["free",{"value":"pro","label":{"en":"Pro","de":"Profi"}}]},
                {"name":"full_name"},
                {"name":"broken","type":"select","options":[]},
                {"type":"text"},
                {"name":"odd","type":"slider"}
            ]}"#,
        );
        let names: Vec<&str> = read.signup_fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["company", "newsletter", "plan"]);
        let company = &read.signup_fields[0];
        assert!(company.required);
        assert_eq!(company.label.get("fr"), "Société");
        assert_eq!(company.label.get("ja"), "Company");
        assert_eq!(read.signup_fields[1].kind, FieldKind::Checkbox);
        let FieldKind::Select(choices) = &read.signup_fields[2].kind else {
            panic!("a select")
        };
        assert_eq!(choices[0].0, "free");
        assert_eq!(choices[1].1.get("de"), "Profi");
        assert_eq!(choices[1].1.get("fr"), "Pro");
    }

    #[test]
    fn consent_is_on_with_true_or_an_object() {
        assert_eq!(
            options(r#"{"consent":true}"#).consent,
            Some(Consent {
                label: None,
                terms_url: None,
                privacy_url: None
            })
        );
        let consent = options(r#"{"consent":{"termsUrl":"/terms","privacyUrl":"/privacy","label":{"de":"Ich stimme zu"}}}"#)
            .consent
            .unwrap();
        assert_eq!(consent.terms_url.as_deref(), Some("/terms"));
        assert_eq!(consent.label.unwrap().get("en"), "Ich stimme zu");
        assert_eq!(options(r#"{"consent":false}"#).consent, None);
    }
}
