//! News from the regional coordinator: `GET /api/news`, `GET /api/news/{id}`, `POST /api/news`,
//! `PATCH|DELETE /api/news/{id}` (admins) and the Atom feed `GET /feeds/news.atom`. Thin over
//! [`crate::news`].
use super::auth::Auth;
use super::error::ApiError;
use super::params::{NoParams, Params};
use super::AppState;
use crate::auth::now;
use crate::news;
use crate::Error;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// `GET /api/news?municipality=&limit=`: newest first; with a municipality, its news and the
/// region's.
pub async fn list(
    State(app): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = Params::parse(q.as_deref(), &["municipality", "limit"])?;
    let municipality = p.text("municipality");
    if let Some(c) = municipality.as_deref() {
        if app.catalog.region().municipality(c).is_none() {
            let msg = format!("'{c}' is not a municipality code of this region");
            return Err(Error::param("municipality", msg).into());
        }
    }
    let limit = p.usize("limit")?.unwrap_or(news::DEFAULT_LIMIT);
    if !(1..=news::MAX_LIMIT).contains(&limit) {
        let msg = format!("must be between 1 and {}, got {limit}", news::MAX_LIMIT);
        return Err(Error::param("limit", msg).into());
    }
    let items = app
        .blocking(move |cat| cat.store().news(municipality.as_deref(), limit))
        .await?;
    let region = app.catalog.region();
    let items: Vec<Value> = items.iter().map(|i| news::view(i, region)).collect();
    Ok(Json(json!({ "items": items })))
}

/// `GET /api/news/{id}`.
pub async fn one(
    _: NoParams,
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let item = app.blocking(move |cat| news::one(cat.store(), &id)).await?;
    Ok(Json(news::view(&item, app.catalog.region())))
}

/// `POST /api/news` (admins): 201 with the item; 422 naming each bad field.
pub async fn create(
    _: NoParams,
    State(app): State<AppState>,
    auth: Auth,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    news::admin_only(&auth.user)?;
    let fields = super::edit::fields(&body)?;
    let item = app
        .blocking(move |cat| {
            let now = now();
            let today = crate::feed::rfc3339(now)[..10].to_string();
            let d = news::draft(&fields, None, cat.region(), &today)?;
            cat.store().add_news(&d, Some(auth.user.id), now)
        })
        .await?;
    let view = news::view(&item, app.catalog.region());
    Ok((StatusCode::CREATED, Json(view)))
}

/// `PATCH /api/news/{id}` (admins): the fields sent, changed; 404 for an unknown item.
pub async fn patch(
    _: NoParams,
    State(app): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    news::admin_only(&auth.user)?;
    let fields = super::edit::fields(&body)?;
    let item = app
        .blocking(move |cat| {
            let old = news::one(cat.store(), &id)?;
            let d = news::draft(&fields, Some(&old.draft), cat.region(), &old.draft.date)?;
            cat.store()
                .update_news(old.id, &d, now())?
                .ok_or_else(|| Error::NotFound {
                    what: "news item",
                    id,
                })
        })
        .await?;
    Ok(Json(news::view(&item, app.catalog.region())))
}

/// `DELETE /api/news/{id}` (admins); 404 for an unknown item.
pub async fn delete(
    _: NoParams,
    State(app): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    news::admin_only(&auth.user)?;
    let deleted = app
        .blocking(move |cat| {
            let item = news::one(cat.store(), &id)?;
            cat.store().delete_news(item.id)?;
            Ok(item.id)
        })
        .await?;
    Ok(Json(json!({ "deleted": deleted })))
}

/// `GET /feeds/news.atom`: the latest news as Atom, links from the public base URL.
pub async fn feed(
    _: NoParams,
    State(app): State<AppState>,
    origin: super::origin::Origin,
) -> Result<Response, ApiError> {
    let items = app
        .blocking(|cat| cat.store().news(None, news::FEED_ITEMS))
        .await?;
    let xml = news::atom(&items, app.catalog.region(), &origin.base)?;
    Ok(atom(xml))
}

/// An Atom document as answered: its media type, and `Vary` since its links are absolute.
pub(super) fn atom(xml: String) -> Response {
    let headers = [
        (header::CONTENT_TYPE, crate::feed::CONTENT_TYPE),
        (header::VARY, super::origin::VARY),
    ];
    (headers, xml).into_response()
}
