//! Sends a core [`Request`] with fetch and hands back status and body; network failures and
//! timeouts become [`Problem`]s.

use crate::core::admin_access::FUNCTION_MARKER_HEADER;
use crate::core::api::{Body, Method, Request};
use crate::core::problem::Problem;
use gloo_net::http::RequestBuilder;
use web_sys::{AbortController, RequestCredentials};

/// A request still unanswered after this long is abandoned.
const TIMEOUT_MS: i32 = 15_000;

/// A raw response: status, body text, and `X-Total-Count` when the server sent it.
pub struct Response {
    pub status: u16,
    pub body: String,
    pub total_count: Option<u32>,
    /// The identity-admin function answered (its marker header is there).
    pub from_admin_function: bool,
}

/// Sends `request` to `api_url`. Only transport failures are errors here; HTTP error
/// statuses come back as responses for the caller to map.
pub async fn send(api_url: &str, request: &Request) -> Result<Response, Problem> {
    let controller = AbortController::new().map_err(|_| Problem::Offline)?;
    let signal = controller.signal();
    let mut builder = RequestBuilder::new(&format!("{api_url}{}", request.path))
        .method(match request.method {
            Method::Get => gloo_net::http::Method::GET,
            Method::Post => gloo_net::http::Method::POST,
            Method::Put => gloo_net::http::Method::PUT,
            Method::Patch => gloo_net::http::Method::PATCH,
            Method::Delete => gloo_net::http::Method::DELETE,
        })
        .credentials(RequestCredentials::SameOrigin)
        .abort_signal(Some(&signal));
    if let Some(content_type) = request.body.content_type() {
        builder = builder.header("Content-Type", content_type);
    }
    if let Some(token) = &request.bearer {
        builder = builder.header("Authorization", &format!("Bearer {token}"));
    }
    if let Some(api_key) = &request.api_key {
        builder = builder.header("apikey", api_key);
    }
    if let Some(audience) = &request.audience {
        builder = builder.header("X-JWT-AUD", audience);
    }
    if request.use_cookie {
        builder = builder.header("X-Use-Cookie", "1");
    }
    let prepared = match &request.body {
        Body::Empty => builder.build(),
        Body::Json(text) | Body::Form(text) => builder.body(text.as_str()),
    }
    .map_err(|_| Problem::ServerError)?;

    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    let flag = timed_out.clone();
    super::set_timeout(TIMEOUT_MS, move || {
        flag.set(true);
        controller.abort();
    });
    let failed = |_| {
        if timed_out.get() {
            Problem::Timeout
        } else {
            Problem::Offline
        }
    };
    let response = prepared.send().await.map_err(failed)?;
    let total_count = response
        .headers()
        .get("X-Total-Count")
        .and_then(|v| v.trim().parse().ok());
    let from_admin_function = response.headers().get(FUNCTION_MARKER_HEADER).is_some();
    let body = response.text().await.map_err(failed)?;
    Ok(Response {
        status: response.status(),
        body,
        total_count,
        from_admin_function,
    })
}
