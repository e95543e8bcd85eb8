//! Training offers: `GET /api/training` (GeoJSON, filtered, nearest first), one offer as
//! GeoJSON, iCalendar (`.ics`) or a page with schema.org JSON-LD, writes with review, history,
//! CSV import and the account's own offers (thin over [`crate::edit::training`] and
//! [`crate::training`]).
use super::auth::Auth;
use super::edit::{fields, patched};
use super::error::ApiError;
use super::origin::Origin;
use super::params::{NoParams, Params};
use super::AppState;
use crate::auth::now;
use crate::edit::training as write;
use crate::model::training::Audience;
use crate::training::{self, ics, jsonld, query};
use crate::Error;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

fn date(p: &Params, name: &str) -> Result<Option<String>, Error> {
    match p.text(name) {
        Some(d) if crate::quality::checks::days_from_iso(&d).is_none() => Err(Error::param(
            name,
            format!("'{d}' is not a date (YYYY-MM-DD)"),
        )),
        d => Ok(d),
    }
}

fn filter(app: &AppState, p: &Params) -> Result<query::Filter, Error> {
    let audience = match p.text("audience") {
        None => None,
        Some(a) => Some(
            Audience::ALL
                .into_iter()
                .find(|x| x.as_str() == a)
                .ok_or_else(|| {
                    Error::param(
                        "audience",
                        format!("'{a}': one of managers, workers, volunteers"),
                    )
                })?,
        ),
    };
    let profile = p.text("profile");
    if let Some(c) = profile.as_deref() {
        if !app.catalog.profiles().has(c) {
            return Err(Error::param(
                "profile",
                format!("unknown profile '{c}' (see /api/profiles)"),
            ));
        }
    }
    let municipality = p.text("municipality");
    if let Some(m) = municipality.as_deref() {
        if app.catalog.region().municipality(m).is_none() {
            return Err(Error::param(
                "municipality",
                format!("unknown municipality code '{m}'"),
            ));
        }
    }
    let near = match p.text("near") {
        None => None,
        Some(s) => {
            let parts: Vec<Option<f64>> = s.split(',').map(|x| x.trim().parse().ok()).collect();
            match parts.as_slice() {
                [Some(lon), Some(lat)] if crate::distance::check_lon_lat(*lon, *lat).is_ok() => {
                    Some([*lon, *lat])
                }
                _ => return Err(Error::param("near", format!("'{s}' is not lon,lat"))),
            }
        }
    };
    let full_too = match p.text("open").as_deref() {
        None | Some("true") => false,
        Some("false") => true,
        Some(o) => return Err(Error::param("open", format!("'{o}': true or false"))),
    };
    Ok(query::Filter {
        profile,
        audience,
        municipality,
        from: date(p, "from")?,
        to: date(p, "to")?,
        near,
        full_too,
    })
}

/// `GET /api/training`: published offers not yet ended, open (places left) unless `open=false`,
/// filtered by `profile`, `audience`, `municipality`, `from`/`to`; nearest first with `near`.
pub async fn list(
    State(app): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let allowed = [
        "profile",
        "audience",
        "municipality",
        "from",
        "to",
        "near",
        "open",
        "limit",
    ];
    let p = Params::parse(q.as_deref(), &allowed)?;
    let f = filter(&app, &p)?;
    let limit = p.usize("limit")?.unwrap_or(100).clamp(1, 1000);
    let offers = app.blocking(|cat| cat.store().offers()).await?;
    let today = crate::quality::checks::today();
    let listed = query::select(&offers, &f, &today);
    let region = app.catalog.region();
    let features: Vec<Value> = listed
        .iter()
        .take(limit)
        .map(|l| training::feature(&l.offer, region, l.distance_m))
        .collect();
    Ok(Json(json!({
        "type": "FeatureCollection",
        "numberMatched": listed.len(),
        "numberReturned": features.len(),
        "features": features,
    })))
}

/// `GET /api/training/{id}` (GeoJSON) and `GET /api/training/{id}.ics` (iCalendar).
pub async fn one(
    _: NoParams,
    State(app): State<AppState>,
    origin: Origin,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    if let Some(id) = id.strip_suffix(".ics") {
        let id = id.to_string();
        let o = app.blocking(move |cat| write::public(cat, &id)).await?;
        let page = format!("{}/training/{}", origin.base, o.id);
        let host = origin.base.split("://").nth(1).unwrap_or("bussola");
        let body = ics::calendar(&o, &page, host, chrono::Utc::now())?;
        let disposition = format!("attachment; filename=\"{}.ics\"", o.id);
        return Ok((
            [
                (
                    header::CONTENT_TYPE,
                    "text/calendar; charset=utf-8".to_string(),
                ),
                (header::CONTENT_DISPOSITION, disposition),
                (header::VARY, super::origin::VARY.to_string()),
            ],
            body,
        )
            .into_response());
    }
    let o = app.blocking(move |cat| write::public(cat, &id)).await?;
    Ok(Json(training::feature(&o, app.catalog.region(), None)).into_response())
}

/// `GET /training/{id}`: the offer's page, with its schema.org `Course` JSON-LD.
pub async fn page(
    _: NoParams,
    State(app): State<AppState>,
    origin: Origin,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let o = app.blocking(move |cat| write::public(cat, &id)).await?;
    let url = format!("{}/training/{}", origin.base, o.id);
    let profiles = app.catalog.profiles();
    let title_of = |c: &str| profiles.title(c);
    let ld = jsonld::course(&o, &url, title_of);
    let html = training::page::render(&o, &ld, app.catalog.region(), title_of);
    Ok(([(header::VARY, super::origin::VARY)], Html(html)).into_response())
}

fn created(w: &write::Written, app: &AppState) -> Response {
    let status = if w.pending.is_empty() {
        "published"
    } else {
        "pending"
    };
    let changes: Vec<i64> = w
        .applied
        .iter()
        .chain(&w.pending)
        .map(|(i, _)| *i)
        .collect();
    let body = json!({
        "offer": training::feature(&w.offer, app.catalog.region(), None),
        "status": status,
        "changes": changes,
    });
    (StatusCode::CREATED, Json(body)).into_response()
}

/// `POST /api/training`: a new offer (201), published or pending review; 422 naming each bad
/// field.
pub async fn create(
    _: NoParams,
    State(app): State<AppState>,
    auth: Auth,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (user, body) = (auth.user, fields(&body)?);
    let w = app
        .blocking(move |cat| write::create(cat, &user, &body, now()))
        .await?;
    Ok(created(&w, &app))
}

/// `PATCH /api/training/{id}`: 200 when every change is live, 202 when some wait for review.
pub async fn patch(
    _: NoParams,
    State(app): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (user, body) = (auth.user, fields(&body)?);
    let w = app
        .blocking(move |cat| write::patch(cat, &user, &id, &body, now()))
        .await?;
    let offer = training::feature(&w.offer, app.catalog.region(), None);
    Ok(patched(&w.applied, &w.pending, "offer", offer))
}

/// `DELETE /api/training/{id}`: withdraws the offer (it keeps its history).
pub async fn withdraw(
    _: NoParams,
    State(app): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let user = auth.user;
    let o = app
        .blocking(move |cat| write::withdraw(cat, &user, &id, now()))
        .await?;
    Ok(Json(
        json!({"offer": training::feature(&o, app.catalog.region(), None)}),
    ))
}

/// `GET /api/training/{id}/history`: the applied changes, public (roles, no accounts).
pub async fn history(
    _: NoParams,
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let of = id.clone();
    let h = app.blocking(move |cat| write::history(cat, &of)).await?;
    Ok(Json(json!({"offer": id, "history": h})))
}

/// `GET /api/me/training`: the offers this account may change, whatever their status.
pub async fn mine(
    _: NoParams,
    State(app): State<AppState>,
    auth: Auth,
) -> Result<Json<Value>, ApiError> {
    let user = auth.user;
    let offers = app.blocking(move |cat| write::mine(cat, &user)).await?;
    let region = app.catalog.region();
    let list: Vec<Value> = offers
        .iter()
        .map(|o| training::feature(o, region, None))
        .collect();
    Ok(Json(json!({"offers": list})))
}

/// `POST /api/training/import`: offers from a CSV file (`text/csv`), all or none; 422 naming
/// each bad line and field.
pub async fn import(
    _: NoParams,
    State(app): State<AppState>,
    auth: Auth,
    body: Bytes,
) -> Result<Response, ApiError> {
    let text = super::params::text_body(&body)?;
    let rows = training::csv::rows(&text)?;
    let user = auth.user;
    let written = app
        .blocking(move |cat| write::import(cat, &user, &rows, now()))
        .await?;
    let region = app.catalog.region();
    let offers: Vec<Value> = written
        .iter()
        .map(|w| training::feature(&w.offer, region, None))
        .collect();
    let pending = written.iter().filter(|w| !w.pending.is_empty()).count();
    let body = json!({"imported": offers.len(), "pending": pending, "offers": offers});
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// `GET /feeds/training.atom`: public offers, newest change first.
pub async fn feed(
    _: NoParams,
    State(app): State<AppState>,
    origin: Origin,
) -> Result<Response, ApiError> {
    let (offers, changes) = app
        .blocking(|cat| {
            let q = crate::store::ChangeQuery {
                status: Some(crate::store::ChangeStatus::Applied),
                subject: Some(crate::store::Subject::Training),
                service_id: None,
            };
            Ok((cat.store().offers()?, cat.store().changes(&q)?))
        })
        .await?;
    let today = crate::quality::checks::today();
    let seeded = crate::quality::checks::days_from_iso(&today).unwrap_or(0) * 86_400;
    let profiles = app.catalog.profiles();
    let title_of = |c: &str| profiles.title(c);
    let region = app.catalog.region();
    let xml = training::atom::atom(
        &offers,
        &changes,
        (&today, seeded),
        region,
        &origin.base,
        title_of,
    )?;
    Ok(super::news::atom(xml))
}
