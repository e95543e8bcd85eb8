//! `POST /api/services/{id}/feedback`: a citizen says a record is wrong (no account needed).
use super::error::ApiError;
use super::limit::Client;
use super::AppState;
use crate::feedback::NewFeedback;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Stores the report: 201 with it, 400 naming a bad field, 404 for an unknown service, 429
/// when one client sends too many.
pub async fn report(
    State(app): State<AppState>,
    Path(id): Path<String>,
    client: Client,
    body: Result<Json<NewFeedback>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(report) = body.map_err(|e| {
        ApiError(crate::Error::param(
            "body",
            format!(
                "expected JSON {{\"problem\": ..., \"note\": ...}}: {}",
                e.body_text()
            ),
        ))
    })?;
    if let Err(wait) = app.feedback_limit.check(&client) {
        return Ok((
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", wait.to_string())],
            Json(json!({"error": format!("too many reports from here; try again in {wait} s")})),
        )
            .into_response());
    }
    let stored = app.catalog.report_problem(&id, &report)?;
    Ok((StatusCode::CREATED, Json(stored)).into_response())
}
