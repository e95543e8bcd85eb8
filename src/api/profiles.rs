//! `GET /api/profiles`: the professional profiles of social care ([`crate::profiles`]).
use super::error::ApiError;
use super::params::Params;
use super::AppState;
use crate::profiles::Profiles;
use crate::Error;
use axum::extract::{RawQuery, State};
use axum::Json;
use serde_json::{json, Value};

/// The profiles, each with its area's name; `response=CODE` keeps those a response employs,
/// `area=761|762` those of an area.
pub async fn list(
    State(app): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = Params::parse(q.as_deref(), &["response", "area"])?;
    let taxonomy = &app.catalog.region().taxonomy;
    let all = app.catalog.profiles();
    let response = p.text("response");
    if let Some(r) = response.as_deref().filter(|r| taxonomy.get(r).is_none()) {
        return Err(Error::param("response", format!("'{r}' is not a response code")).into());
    }
    let area = p.text("area");
    if let Some(a) = area.as_deref().filter(|a| Profiles::area_name(a).is_none()) {
        return Err(Error::param("area", format!("'{a}': one of 761, 762")).into());
    }
    let list: Vec<Value> = all
        .profiles
        .iter()
        .filter(|x| response.as_ref().is_none_or(|r| x.responses.contains(r)))
        .filter(|x| area.as_ref().is_none_or(|a| &x.area == a))
        .map(|x| {
            let mut v = json!(x);
            v["area_name"] = json!(Profiles::area_name(&x.area));
            v
        })
        .collect();
    Ok(Json(json!({
        "catalogue": all.catalogue,
        "source": all.source,
        "profiles": list,
    })))
}
