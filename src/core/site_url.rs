//! The localhost development prompt: on a local server without `APIUrl`, the old widget asks
//! for the site's URL and keeps it in `localStorage["netlifySiteURL"]` (Decap CMS reads it too).

/// The localStorage key the old widget and Decap CMS use.
pub const STORAGE_KEY: &str = "netlifySiteURL";

/// The identity path below a site URL.
const IDENTITY_PATH: &str = "/.netlify/identity";

/// Normalises what the user typed into the site URL to store: `http(s)://host[/path]`
/// without a trailing slash or a `/.netlify/identity` suffix. `None` if it is not such a URL.
pub fn normalise(input: &str) -> Option<String> {
    let trimmed = input.trim().trim_end_matches('/');
    let trimmed = trimmed
        .strip_suffix(IDENTITY_PATH)
        .unwrap_or(trimmed)
        .trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))?;
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() || host.contains(char::is_whitespace) {
        return None;
    }
    Some(trimmed.to_string())
}

/// The API URL for a stored site URL.
pub fn api_url(site_url: &str) -> String {
    format!("{}{IDENTITY_PATH}", site_url.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_slashes_and_the_identity_suffix() {
        assert_eq!(
            normalise(" https://example.netlify.app/ ").as_deref(),
            Some("https://example.netlify.app")
        );
        assert_eq!(
            normalise("https://x.app/.netlify/identity/").as_deref(),
            Some("https://x.app")
        );
        assert_eq!(
            normalise("http://127.0.0.1:8888").as_deref(),
            Some("http://127.0.0.1:8888")
        );
        assert_eq!(api_url("https://x.app"), "https://x.app/.netlify/identity");
    }

    #[test]
    fn refuses_what_is_not_a_web_url() {
        for bad in [
            "",
            "example.com",
            "ftp://x",
            "https://",
            "https:// x",
            "javascript:alert(1)",
        ] {
            assert_eq!(normalise(bad), None, "{bad}");
        }
    }
}
