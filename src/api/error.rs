//! Errors as HTTP responses with a JSON body `{"error": "...", "parameter": "..."}` (400),
//! `{"error": "...", "fields": {"phone": "..."}}` (422), or `{"error": "..."}` (401, 403, 404,
//! 405, 409, 413, 415, 429, 5xx). The framework's own refusals (a wrong method, a body too
//! large, a path that is not UTF-8) get the same JSON body from [`json_errors`].
use crate::error::Refusal;
use crate::Error;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// An error the API answers with.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match &self.0 {
            Error::InvalidParam { param, .. } => (
                StatusCode::BAD_REQUEST,
                json!({"error": self.0.to_string(), "parameter": param}),
            ),
            Error::NotFound { .. } => (StatusCode::NOT_FOUND, json!({"error": self.0.to_string()})),
            Error::Refused { kind, message } => (
                match kind {
                    Refusal::Unauthenticated => StatusCode::UNAUTHORIZED,
                    Refusal::Forbidden => StatusCode::FORBIDDEN,
                    Refusal::Conflict => StatusCode::CONFLICT,
                    Refusal::TooMany => StatusCode::TOO_MANY_REQUESTS,
                    Refusal::MediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    Refusal::RangeNotSatisfiable => StatusCode::RANGE_NOT_SATISFIABLE,
                },
                json!({"error": message}),
            ),
            Error::InvalidFields(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"error": self.0.to_string(), "fields": fields}),
            ),
            other => {
                tracing::error!("internal error: {other}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({"error": "internal error; see the server log"}),
                )
            }
        };
        (status, Json(body)).into_response()
    }
}

/// Answers any unknown route with a JSON 404.
pub async fn not_found(uri: Uri) -> ApiError {
    ApiError(Error::NotFound {
        what: "route",
        id: uri.path().to_string(),
    })
}

/// Middleware: gives every error answer that is not JSON yet (the framework's own: 405 with an
/// empty body, 413 and 400 as plain text) the API's JSON body, keeping status and headers.
/// An HTML answer is a plain page's own message to a person (`/find`, `/sheet`) and is kept.
pub async fn json_errors(res: Response) -> Response {
    let status = res.status();
    let kept = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json") || t.starts_with("text/html"));
    if !(status.is_client_error() || status.is_server_error()) || kept {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let said = axum::body::to_bytes(body, 4096)
        .await
        .ok()
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .filter(|t| !t.is_empty() && !t.starts_with('<'));
    let mut message =
        said.unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_lowercase());
    if status == StatusCode::METHOD_NOT_ALLOWED {
        if let Some(allow) = parts
            .headers
            .get(header::ALLOW)
            .and_then(|v| v.to_str().ok())
        {
            message = format!("method not allowed here; allowed: {allow}");
        }
    }
    if status.is_server_error() {
        tracing::error!("error answer {status}: {message}");
        message = "internal error; see the server log".into();
    }
    let body = json!({ "error": message }).to_string();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::CONTENT_ENCODING);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, axum::body::Body::from(body))
}
