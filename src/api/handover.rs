//! `GET /find` (the plain page, no script) and `GET /sheet` (the sheet to hand over; its text
//! and its share link as JSON): thin over [`crate::handover`]. A bad address gets a 400 page in
//! plain words naming the problem (JSON for `/sheet?format=json`, which the map page asks).
use super::error::ApiError;
use super::origin::Origin;
use super::AppState;
use crate::handover::find::{self, Outcome};
use crate::handover::sheet::Sheet;
use crate::handover::{page, Lang, Link, Size};
use crate::Error;
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};

/// What a link may say (the search, the choice, the note, language and size).
const LINK: [&str; 12] = crate::handover::link::PARAMS;

/// Who sees the answer: nobody stores it on the way (a note may be personal).
const PRIVATE: (header::HeaderName, &str) = (header::CACHE_CONTROL, "no-store");

/// The query's pairs; a query that is not `key=value&…` names itself.
fn pairs(q: Option<&str>) -> Result<Vec<(String, String)>, Error> {
    serde_urlencoded::from_str(q.unwrap_or("")).map_err(|e| Error::param("query", e.to_string()))
}

/// The language and size a failed request asked for, to answer it in them.
fn asked(pairs: &[(String, String)]) -> (Lang, Size) {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let lang = if get("lang") == Some("en") {
        Lang::En
    } else {
        Lang::Pt
    };
    let size = Size::ALL
        .into_iter()
        .find(|s| Some(s.code()) == get("size"))
        .unwrap_or_default();
    (lang, size)
}

/// An error as a page: a bad parameter or a problem with the choice is the person's 400, in
/// plain words with a way back (`back`); anything else is the API's error.
fn page_error(e: Error, lang: Lang, size: Size, back: &str) -> Response {
    match e {
        Error::InvalidParam { param, message } => bad_request(&page::error(
            lang,
            size,
            &page::bad_param(lang, &param, &message),
            back,
        )),
        other => ApiError(other).into_response(),
    }
}

fn bad_request(html: &str) -> Response {
    (StatusCode::BAD_REQUEST, [PRIVATE], Html(html.to_string())).into_response()
}

/// `GET /find`: the plain page — the form, and the nearest services to a place as
/// `/api/nearest` lists them.
pub async fn find(State(app): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let pairs = match pairs(q.as_deref()) {
        Ok(p) => p,
        Err(e) => return page_error(e, Lang::Pt, Size::Normal, "/find"),
    };
    let (lang, size) = asked(&pairs);
    let link = match Link::parse(&pairs, &LINK) {
        Ok(l) => l,
        Err(e) => return page_error(e, lang, size, "/find"),
    };
    let searched = app.blocking(move |cat| find::search(cat, &link)).await;
    let (link, outcome) = match searched {
        Ok(x) => x,
        Err(e) => return page_error(e, lang, size, "/find"),
    };
    if let Outcome::Results { found, .. } = &outcome {
        let ids: Vec<String> = found.iter().map(|f| f.service.id.clone()).collect();
        super::fresh::count(&app, &ids, crate::store::UsageKind::Found);
    }
    let html = page::render(&link, &outcome, app.catalog.region());
    ([PRIVATE], Html(html)).into_response()
}

/// `GET /sheet`: the sheet to hand over, from the link's chosen services (or the first of its
/// search); `format=text` its e-mail text, `format=json` what "Share" shows (link, mailto).
pub async fn sheet(State(app): State<AppState>, origin: Origin, RawQuery(q): RawQuery) -> Response {
    let pairs = match pairs(q.as_deref()) {
        Ok(p) => p,
        Err(e) => return page_error(e, Lang::Pt, Size::Normal, "/find"),
    };
    let (lang, size) = asked(&pairs);
    let format = pairs
        .iter()
        .find(|(k, _)| k == "format")
        .map_or("html", |(_, v)| v.as_str())
        .to_string();
    let json = format == "json";
    let fail = |e: Error, back: &str| {
        if json {
            ApiError(e).into_response()
        } else {
            page_error(e, lang, size, back)
        }
    };
    if !["html", "text", "json"].contains(&format.as_str()) {
        return fail(
            Error::param("format", format!("'{format}': one of html, text, json")),
            "/find",
        );
    }
    let mut allowed = LINK.to_vec();
    allowed.push("format");
    let link = match Link::parse(&pairs, &allowed) {
        Ok(l) => l,
        Err(e) => return fail(e, "/find"),
    };
    let back = link.at_path("/find");
    let base = origin.base.clone();
    let today = chrono::Utc::now().date_naive();
    let prepared = app
        .blocking(move |cat| Sheet::prepare(cat, &link, &base, today))
        .await;
    let sheet = match prepared {
        Ok(Ok(s)) => s,
        Ok(Err(problem)) => {
            return if json {
                ApiError(Error::param("id", problem.words(Lang::En))).into_response()
            } else {
                bad_request(&page::error(lang, size, &problem.words(lang), &back))
            }
        }
        Err(e) => return fail(e, &back),
    };
    let region = app.catalog.region();
    let vary = (header::VARY, super::origin::VARY);
    match format.as_str() {
        "json" => ([PRIVATE, vary], axum::Json(sheet.share(region))).into_response(),
        "text" => (
            [
                PRIVATE,
                vary,
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            ],
            sheet.text(region),
        )
            .into_response(),
        _ => match sheet.html(region) {
            Ok(html) => ([PRIVATE, vary], Html(html)).into_response(),
            Err(e) => fail(e, &back),
        },
    }
}
