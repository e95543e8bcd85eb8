//! Signing in and out: `POST /api/login`, `POST /api/logout`, `GET /api/me`,
//! `DELETE /api/tokens/{id}`, and the [`Auth`] extractor every write endpoint takes.
use super::error::ApiError;
use super::limit::{client, Route};
use super::AppState;
use crate::auth::{self, hash, now, Role, User};
use crate::error::Refusal;
use crate::model::Brief;
use crate::Error;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// The session cookie (HttpOnly).
pub const SESSION_COOKIE: &str = "bussola_session";
/// The cookie holding the CSRF value for the page's scripts (not HttpOnly).
pub const CSRF_COOKIE: &str = "bussola_csrf";
/// The header cookie-authenticated writes send the CSRF value in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A signed-in account: from `Authorization: Bearer <token>` or the session cookie (whose
/// writes must also send `X-CSRF-Token`). Writes are rate limited per client address.
#[derive(Debug, Clone)]
pub struct Auth {
    /// The account.
    pub user: User,
    /// The session's token id.
    pub session: i64,
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        let writes = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if writes {
            app.limit(&client(parts), Route::Write).await?;
        }
        let bearer = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::to_string);
        let (raw, by_cookie) = match bearer {
            Some(t) => (t, false),
            None => match cookie(&parts.headers, SESSION_COOKIE) {
                Some(t) => (t, true),
                None => {
                    return Err(Error::refused(
                        Refusal::Unauthenticated,
                        "sign in: send 'Authorization: Bearer <token>' or the session cookie",
                    )
                    .into())
                }
            },
        };
        let row = app
            .blocking(move |cat| auth::authenticate(cat.store(), &raw, now()))
            .await?;
        // A cookie goes with every request the browser makes, even one another site
        // triggers; only our own page can read the CSRF value and send it back.
        if by_cookie && writes {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(hash);
            if sent.is_none() || sent != row.csrf_hash {
                return Err(Error::refused(
                    Refusal::Forbidden,
                    "a write with the session cookie needs the X-CSRF-Token header given at login",
                )
                .into());
            }
        }
        Ok(Auth {
            user: row.user,
            session: row.id,
        })
    }
}

fn set_cookie(name: &str, value: &str, max_age: i64, http_only: bool, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; Max-Age={max_age}; SameSite=Strict{}{}",
        if http_only { "; HttpOnly" } else { "" },
        if secure { "; Secure" } else { "" }
    )
}

fn with_cookies(mut res: Response, cookies: [String; 2]) -> Response {
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(&c) {
            res.headers_mut().append(SET_COOKIE, v);
        }
    }
    res
}

/// `POST /api/login` with `{"token": "<single-use token>"}`: a session, as JSON and as cookies.
pub async fn login(
    _: super::params::NoParams,
    State(app): State<AppState>,
    parts: Parts,
    body: Bytes,
) -> Result<Response, ApiError> {
    app.limit(&client(&parts), Route::Login).await?;
    let token = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("token")?.as_str().map(str::to_string))
        .ok_or_else(|| Error::param("token", "send {\"token\": \"...\"} from the login link"))?;
    let s = app
        .blocking(move |cat| auth::login(cat.store(), &token, now()))
        .await?;
    let age = s.expires - now();
    let secure = super::origin::origin_of(&parts).https();
    let cookies = [
        set_cookie(SESSION_COOKIE, &s.token, age, true, secure),
        set_cookie(CSRF_COOKIE, &s.csrf, age, false, secure),
    ];
    Ok(with_cookies(Json(s).into_response(), cookies))
}

/// `POST /api/logout`: revokes the session used and clears the cookies.
pub async fn logout(
    _: super::params::NoParams,
    State(app): State<AppState>,
    auth: Auth,
    origin: super::origin::Origin,
) -> Result<Response, ApiError> {
    let session = auth.session;
    app.blocking(move |cat| cat.store().revoke_token(session, now()))
        .await?;
    let secure = origin.https();
    let cookies = [
        set_cookie(SESSION_COOKIE, "", 0, true, secure),
        set_cookie(CSRF_COOKIE, "", 0, false, secure),
    ];
    let body = Json(json!({"revoked": auth.session})).into_response();
    Ok(with_cookies(body, cookies))
}

/// `GET /api/me`: the signed-in account and its session id.
pub async fn me(_: super::params::NoParams, auth: Auth) -> Json<serde_json::Value> {
    Json(json!({"user": auth.user, "session": auth.session}))
}

/// `GET /api/me/services`: the services the signed-in account may edit, by name.
pub async fn my_services(
    _: super::params::NoParams,
    State(app): State<AppState>,
    auth: Auth,
) -> Result<Json<serde_json::Value>, ApiError> {
    let user = auth.user.clone();
    let mut mine = app
        .blocking(move |cat| {
            let theirs: Vec<Brief> =
                cat.with_briefs(|it| it.filter(|s| user.may_edit(*s)).cloned().collect());
            cat.records(&theirs.iter().collect::<Vec<_>>())
        })
        .await?;
    mine.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    let region = app.catalog.region();
    let features: Vec<_> = mine
        .iter()
        .map(|s| super::features::service_feature(s, region, None))
        .collect();
    Ok(Json(
        json!({"type": "FeatureCollection", "features": features}),
    ))
}

/// `DELETE /api/tokens/{id}`: revokes one of the caller's sessions (an admin: anyone's).
pub async fn revoke(
    _: super::params::NoParams,
    State(app): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id: i64 = id
        .parse()
        .map_err(|_| Error::param("id", format!("'{id}' is not a token id")))?;
    let user = auth.user;
    let live = app
        .blocking(move |cat| {
            let store = cat.store();
            let owner = store.token_owner(id)?.ok_or_else(|| Error::NotFound {
                what: "token",
                id: id.to_string(),
            })?;
            if owner != user.id && user.role != Role::Admin {
                return Err(Error::refused(Refusal::Forbidden, "not your token"));
            }
            store.revoke_token(id, now())
        })
        .await?;
    Ok(Json(json!({"revoked": id, "was_live": live})))
}
