//! `GET /api/survey?audience=...` (the questions), `POST /api/survey` (an answer set, no account
//! needed for the public) and `GET /api/survey/results` (admins; `?format=csv`).
use super::auth::Auth;
use super::error::ApiError;
use super::feedback::Client;
use super::limit::Route;
use super::params::Params;
use super::AppState;
use crate::auth::Role;
use crate::error::Refusal;
use crate::survey::{Audience, NewAnswers};
use crate::Error;
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// The questions asked of an audience (`public` by default, or `provider`).
pub async fn questions(
    State(app): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<serde_json::Value>, ApiError> {
    let q = Params::parse(q.as_deref(), &["audience"])?;
    let audience = Audience::parse_answering(q.text("audience").as_deref().unwrap_or("public"))?;
    let list = app.catalog.region().survey.for_audience(audience);
    Ok(Json(
        serde_json::json!({ "audience": audience.code(), "questions": list }),
    ))
}

/// Stores an answer set: 201 with its number, 400 naming a bad question, 401 for provider
/// answers without an account, 429 when one client sends too many.
pub async fn answer(
    State(app): State<AppState>,
    client: Client,
    auth: Result<Auth, ApiError>,
    body: Result<Json<NewAnswers>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(new) = body.map_err(|e| {
        ApiError(Error::param(
            "body",
            format!(
                "expected JSON {{\"audience\": ..., \"answers\": {{...}}}}: {}",
                e.body_text()
            ),
        ))
    })?;
    let survey = &app.catalog.region().survey;
    // Only answer sets that would be stored count towards the limit.
    let (audience, _) = survey.check(&new)?;
    let role = match audience {
        Audience::Provider => Some(auth?.user.role),
        _ => None,
    };
    app.limit(client.as_str(), Route::Survey).await?;
    let stored = app
        .blocking(move |cat| cat.submit_survey(&new, role))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "id": stored.id, "created": stored.created })),
    )
        .into_response())
}

/// The results for admins: a summary per question (JSON), or `?format=csv`, one row per
/// answer set.
pub async fn results(
    State(app): State<AppState>,
    auth: Auth,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let q = Params::parse(q.as_deref(), &["format"])?;
    if auth.user.role != Role::Admin {
        return Err(Error::refused(Refusal::Forbidden, "survey results are for admins").into());
    }
    let survey = &app.catalog.region().survey;
    let sets = app.blocking(|cat| cat.store().survey_answers()).await?;
    match q.text("format").as_deref() {
        None | Some("json") => Ok(Json(survey.results(&sets)).into_response()),
        Some("csv") => Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"survey.csv\"",
                ),
            ],
            survey.csv(&sets)?,
        )
            .into_response()),
        Some(f) => {
            Err(Error::param("format", format!("unknown format '{f}'; one of json, csv")).into())
        }
    }
}
