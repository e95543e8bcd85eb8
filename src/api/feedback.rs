//! `POST /api/services/{id}/feedback`: a citizen says a record is wrong (no account needed);
//! `GET /api/feedback` and `POST /api/feedback/{id}/resolve`: the provider and the moderators
//! deal with it.
use super::error::ApiError;
use super::limit::Route;
use super::AppState;
use crate::feedback::NewFeedback;
use axum::extract::FromRequestParts;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// The client's address, as the rate limits key it.
pub struct Client(pub String);

impl Client {
    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Client(super::limit::client(parts)))
    }
}

/// Stores the report: 201 with it, 400 naming a bad field, 404 for an unknown service, 429
/// when one client sends too many.
pub async fn report(
    _: super::params::NoParams,
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
    // Only reports that would be stored count towards the limit.
    app.catalog.check_report(&id, &report)?;
    app.limit(&client.0, Route::Feedback).await?;
    let stored = app
        .blocking(move |cat| cat.report_problem(&id, &report))
        .await?;
    Ok((StatusCode::CREATED, Json(stored)).into_response())
}

/// The open reports (`?status=all`: every report) about services the account may edit.
pub async fn list(
    State(app): State<AppState>,
    auth: super::auth::Auth,
    axum::extract::RawQuery(q): axum::extract::RawQuery,
) -> Result<Json<serde_json::Value>, ApiError> {
    let q = super::params::Params::parse(q.as_deref(), &["status"])?;
    let all = match q.text("status").as_deref() {
        None | Some("open") => false,
        Some("all") => true,
        Some(other) => {
            return Err(
                crate::Error::param("status", format!("'{other}': one of open, all")).into(),
            )
        }
    };
    let user = auth.user;
    let list = app
        .blocking(move |cat| cat.feedback_for(&user, all))
        .await?;
    Ok(Json(serde_json::json!({ "reports": list })))
}

/// Marks a report resolved (the service's provider, a moderator of its area, an admin).
pub async fn resolve(
    _: super::params::NoParams,
    State(app): State<AppState>,
    auth: super::auth::Auth,
    client: Client,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    app.limit(&client.0, Route::Write).await?;
    let id: i64 = id
        .parse()
        .map_err(|_| crate::Error::param("id", format!("'{id}' is not a report number")))?;
    let user = auth.user;
    app.blocking(move |cat| cat.resolve_feedback(&user, id))
        .await?;
    Ok(Json(serde_json::json!({ "resolved": id })))
}
