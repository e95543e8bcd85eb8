//! Query-string parsing that names the bad parameter.
use crate::{Error, Result};
use std::collections::HashMap;

/// The query parameters of one request.
#[derive(Debug, Default)]
pub struct Params(HashMap<String, String>);

impl Params {
    /// Parses a raw query string, refusing parameters not in `allowed` (catches typos).
    pub fn parse(raw: Option<&str>, allowed: &[&str]) -> Result<Self> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
            .map_err(|e| Error::param("query", e.to_string()))?;
        let mut map = HashMap::new();
        for (k, v) in pairs {
            if !allowed.contains(&k.as_str()) {
                return Err(Error::param(
                    &k,
                    format!("unknown parameter; expected one of {}", allowed.join(", ")),
                ));
            }
            if map.insert(k.clone(), v).is_some() {
                return Err(Error::param(&k, "given more than once"));
            }
        }
        Ok(Params(map))
    }

    /// A text parameter (empty counts as absent).
    pub fn text(&self, name: &str) -> Option<String> {
        self.0
            .get(name)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }

    /// A required number.
    pub fn f64_required(&self, name: &str) -> Result<f64> {
        self.f64(name)?
            .ok_or_else(|| Error::param(name, "is required"))
    }

    /// An optional number.
    pub fn f64(&self, name: &str) -> Result<Option<f64>> {
        self.text(name)
            .map(|s| {
                s.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or_else(|| Error::param(name, format!("'{s}' is not a number")))
            })
            .transpose()
    }

    /// An optional whole number.
    pub fn usize(&self, name: &str) -> Result<Option<usize>> {
        self.text(name)
            .map(|s| {
                s.parse::<usize>()
                    .map_err(|_| Error::param(name, format!("'{s}' is not a whole number")))
            })
            .transpose()
    }

    /// An optional bounding box `min_lon,min_lat,max_lon,max_lat`.
    pub fn bbox(&self, name: &str) -> Result<Option<[f64; 4]>> {
        let Some(s) = self.text(name) else {
            return Ok(None);
        };
        let parts: Vec<f64> = s
            .split(',')
            .map(|p| p.trim().parse::<f64>().ok().filter(|v| v.is_finite()))
            .collect::<Option<Vec<f64>>>()
            .ok_or_else(|| {
                Error::param(
                    name,
                    format!("'{s}' is not four numbers min_lon,min_lat,max_lon,max_lat"),
                )
            })?;
        match parts.as_slice() {
            &[a, b, c, d] => Ok(Some([a, b, c, d])),
            _ => Err(Error::param(
                name,
                format!("'{s}' is not four numbers min_lon,min_lat,max_lon,max_lat"),
            )),
        }
    }
}

/// Refuses any query parameter, for routes that take none: the API refuses what it does not
/// know rather than ignore a typo.
#[derive(Debug, Clone, Copy)]
pub struct NoParams;

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for NoParams {
    type Rejection = super::error::ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> std::result::Result<Self, Self::Rejection> {
        Params::parse(parts.uri.query(), &[])?;
        Ok(NoParams)
    }
}

/// An uploaded file's body as text, or a 400 naming `body` when it is not UTF-8.
pub fn text_body(body: &[u8]) -> Result<String> {
    String::from_utf8(body.to_vec()).map_err(|_| Error::param("body", "the file is not UTF-8 text"))
}
