//! A file download answered whole or by byte ranges, so GIS clients read big files remotely
//! (GDAL's `/vsicurl/`, QGIS from a URL, flatgeobuf.js use a FlatGeobuf's index through
//! `Range`): `Accept-Ranges`, a strong `ETag`, `HEAD`, 206 with `Content-Range`, `If-Range`,
//! 416 for a range past the end. Several ranges in one request get the whole file (allowed).
use super::error::ApiError;
use crate::error::Refusal;
use crate::export::Export;
use crate::Error;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::{Arc, Mutex};

/// The last export made, kept while the data is unchanged: a client reading by ranges asks for
/// the same file many times, and each request must see the same bytes.
#[derive(Debug, Default)]
pub struct ExportCache {
    last: Mutex<Option<(Key, Arc<Made>)>>,
}

type Key = (String, String, u64);

/// An export with its strong validator.
#[derive(Debug)]
pub struct Made {
    /// The file.
    pub export: Export,
    /// `"<version>-<layer>-<format>-<length>"`: changes with the data.
    pub etag: String,
}

impl ExportCache {
    /// The export of `layer` and `format` at data `version`, made by `make` unless kept.
    pub fn get_or_make(
        &self,
        layer: &str,
        format: &str,
        version: u64,
        make: impl FnOnce() -> crate::Result<Export>,
    ) -> crate::Result<Arc<Made>> {
        let key = (layer.to_string(), format.to_string(), version);
        if let Some((k, made)) = self.lock().as_ref() {
            if *k == key {
                return Ok(made.clone());
            }
        }
        let export = make()?;
        let etag = format!("\"{version}-{layer}-{format}-{}\"", export.body.len());
        let made = Arc::new(Made { export, etag });
        *self.lock() = Some((key, made.clone()));
        Ok(made)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(Key, Arc<Made>)>> {
        self.last.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The answer to a GET or HEAD of `made` with these request headers.
pub fn answer(headers: &HeaderMap, head: bool, made: &Made) -> Result<Response, ApiError> {
    let body = &made.export.body;
    let len = body.len() as u64;
    let mut h = HeaderMap::new();
    let mut set = |k: header::HeaderName, v: String| {
        if let Ok(v) = HeaderValue::from_str(&v) {
            h.insert(k, v);
        }
    };
    set(header::CONTENT_TYPE, made.export.content_type.to_string());
    set(
        header::CONTENT_DISPOSITION,
        format!("attachment; filename=\"{}\"", made.export.file_name),
    );
    set(header::ACCEPT_RANGES, "bytes".into());
    set(header::ETAG, made.etag.clone());
    set(header::CACHE_CONTROL, "no-cache".into());
    let not_modified = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim() == made.etag || t.trim() == "*")
        });
    if not_modified {
        return Ok((StatusCode::NOT_MODIFIED, h).into_response());
    }
    // A range of another version of the file would mix two files: If-Range says which.
    let same_file = headers
        .get(header::IF_RANGE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.trim() == made.etag);
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .filter(|_| same_file);
    let (status, part) = match range {
        None => (StatusCode::OK, 0..len),
        Some(r) => match http_range_header::parse_range_header(r).and_then(|p| p.validate(len)) {
            Ok(ranges) if ranges.len() == 1 => {
                let r = &ranges[0];
                set(
                    header::CONTENT_RANGE,
                    format!("bytes {}-{}/{len}", r.start(), r.end()),
                );
                (StatusCode::PARTIAL_CONTENT, *r.start()..r.end() + 1)
            }
            Ok(_) => (StatusCode::OK, 0..len),
            Err(_) => {
                let mut res = ApiError(Error::refused(
                    Refusal::RangeNotSatisfiable,
                    format!("range '{r}' is not a byte range within the file's {len} bytes"),
                ))
                .into_response();
                if let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}")) {
                    res.headers_mut().insert(header::CONTENT_RANGE, v);
                }
                return Ok(res);
            }
        },
    };
    set(header::CONTENT_LENGTH, (part.end - part.start).to_string());
    if head {
        return Ok((status, h).into_response());
    }
    let bytes = usize::try_from(part.start)
        .ok()
        .zip(usize::try_from(part.end).ok())
        .and_then(|(a, b)| body.get(a..b))
        .unwrap_or_default()
        .to_vec();
    Ok((status, h, bytes).into_response())
}
