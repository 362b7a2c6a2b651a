//! Sends a core [`Request`] with fetch and hands back status and body; network failures and
//! timeouts become [`Problem`]s.

use crate::core::admin_access::FUNCTION_MARKER_HEADER;
use crate::core::api::{Body, Method, Request};
use crate::core::problem::Problem;
use gloo_net::http::RequestBuilder;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;
use web_sys::{AbortSignal, RequestCredentials};

/// A request still unanswered after this long is abandoned.
const TIMEOUT_MS: u32 = 15_000;

#[wasm_bindgen]
extern "C" {
    /// `AbortSignal.timeout(ms)`: one call where a controller and a timer took three, before
    /// the request could leave. Absent before Safari 16 (then the request has no timeout).
    #[wasm_bindgen(js_namespace = AbortSignal, js_name = timeout, catch)]
    fn abort_after(ms: u32) -> Result<AbortSignal, JsValue>;
}

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
    let signal = abort_after(TIMEOUT_MS).ok();
    let mut builder = RequestBuilder::new(&format!("{api_url}{}", request.path))
        .method(match request.method {
            Method::Get => gloo_net::http::Method::GET,
            Method::Post => gloo_net::http::Method::POST,
            Method::Put => gloo_net::http::Method::PUT,
            Method::Patch => gloo_net::http::Method::PATCH,
            Method::Delete => gloo_net::http::Method::DELETE,
        })
        .credentials(RequestCredentials::SameOrigin)
        .abort_signal(signal.as_ref());
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

    // The signal's timeout rejects the fetch, or the body's reading, with a `TimeoutError`.
    let failed = |error: gloo_net::Error| match error {
        gloo_net::Error::JsError(error) if error.name == "TimeoutError" => Problem::Timeout,
        _ => Problem::Offline,
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
