//! Errors as HTTP responses with a JSON body `{"error": "...", "parameter": "..."}` (400),
//! `{"error": "...", "fields": {"phone": "..."}}` (422), or `{"error": "..."}` (401, 403, 404,
//! 409, 429).
use crate::error::Refusal;
use crate::Error;
use axum::http::{StatusCode, Uri};
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
