//! The page's `<script data-admin-url=… data-admin-roles=…>` attributes: options a static site
//! sets on the widget's script tag instead of calling `init` (read here, not by the loader,
//! whose bytes every page pays for).

use crate::core::json::Value;

/// The data attributes options can come from, with the names `init` gives them.
const ATTRIBUTES: [(&str, &str); 2] = [
    ("data-admin-url", "adminUrl"),
    ("data-admin-roles", "adminRoles"),
];

/// `{adminUrl, adminRoles}` from the first script element carrying each attribute.
pub fn options() -> Value {
    let mut found = Value::Object(Vec::new());
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return found;
    };
    for (attribute, option) in ATTRIBUTES {
        let value = document
            .query_selector(&format!("script[{attribute}]"))
            .ok()
            .flatten()
            .and_then(|script| script.get_attribute(attribute));
        if let Some(value) = value {
            found.set(option, Value::string(value));
        }
    }
    found
}
