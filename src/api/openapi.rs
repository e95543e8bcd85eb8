//! The OpenAPI 3.0.3 document of the whole HTTP surface: `GET /openapi.json`,
//! `GET /openapi.yaml`, and the reference page `GET /api-docs` (Swagger UI, from
//! `web/node_modules/swagger-ui-dist`, served at `/vendor/swagger-ui/`).
//!
//! The document is kept beside the code as YAML fragments in `src/api/openapi/`: `base.yaml`
//! (`openapi`, `info`, `servers`, `tags`, shared `components`) and one file per area with
//! `paths` and optionally `components` and `tags`. `build.rs` embeds every `*.yaml` in the
//! folder; [`merge`] puts them together, refusing an operation (path and method), a component
//! or a tag given twice and a `$ref` that points nowhere. The document is merged once, on first
//! use ([`document`]); `tests/it/openapi.rs` checks it against the router and the answers, and
//! `openapi-spec-validator` validates it. See `docs/api/openapi.md`.
use super::error::ApiError;
use super::params::NoParams;
use super::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};
use std::sync::OnceLock;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/openapi_fragments.rs"));
}

/// The fragment that holds `openapi`, `info`, `servers` and the shared components.
pub const BASE: &str = "base.yaml";

/// The keys a fragment other than [`BASE`] may have at its top level.
pub const FRAGMENT_KEYS: [&str; 3] = ["paths", "components", "tags"];

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Why the fragments do not make one document.
#[derive(Debug, thiserror::Error)]
pub enum OpenApiError {
    /// A fragment is not YAML.
    #[error("OpenAPI fragment src/api/openapi/{file}: not valid YAML: {message}")]
    Parse {
        /// The fragment's file name.
        file: String,
        /// What the parser said.
        message: String,
    },
    /// A fragment is YAML but not of the fragments' shape.
    #[error("OpenAPI fragment src/api/openapi/{file}: {message}")]
    Shape {
        /// The fragment's file name.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// Two fragments describe the same thing (an operation, a component, a tag).
    #[error("OpenAPI: {what} is in both src/api/openapi/{first} and src/api/openapi/{second}")]
    Duplicate {
        /// What is described twice (`GET /api/services`, `components/schemas/Error`).
        what: String,
        /// The fragment that gave it first.
        first: String,
        /// The fragment that gave it again.
        second: String,
    },
    /// A `$ref` names nothing in the merged document.
    #[error("OpenAPI fragment src/api/openapi/{file}: $ref '{target}' points nowhere")]
    DanglingRef {
        /// The fragment holding the reference.
        file: String,
        /// The reference.
        target: String,
    },
    /// There is no `base.yaml`.
    #[error("OpenAPI: src/api/openapi/{BASE} is missing")]
    NoBase,
    /// The merged document cannot be written out.
    #[error("OpenAPI: cannot write the document: {0}")]
    Write(String),
}

/// Every embedded fragment as (file name, YAML text), by file name.
pub fn fragments() -> &'static [(&'static str, &'static str)] {
    embedded::FRAGMENTS
}

fn shape(file: &str, message: impl Into<String>) -> OpenApiError {
    OpenApiError::Shape {
        file: file.to_string(),
        message: message.into(),
    }
}

fn object<'a>(
    file: &str,
    v: &'a mut Value,
    what: &str,
) -> Result<&'a mut Map<String, Value>, OpenApiError> {
    v.as_object_mut()
        .ok_or_else(|| shape(file, format!("{what} must be a mapping")))
}

/// Every local `$ref` (`#/...`) under a value.
fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.push(r.clone());
            }
            m.values().for_each(|x| refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

/// Merges fragments (file name, YAML text) into one document whose `info.version` is
/// `version`. `base.yaml` gives everything but the paths; each other fragment gives `paths`,
/// and may give `components` and `tags`. An operation (path and method), a path-level key,
/// a component or a tag given by two fragments, a top-level key other than those, or a `$ref`
/// that points nowhere is an error naming the files.
pub fn merge(fragments: &[(&str, &str)], version: &str) -> Result<Value, OpenApiError> {
    let mut parsed = Vec::with_capacity(fragments.len());
    for (file, text) in fragments {
        let v: Value = serde_norway::from_str(text).map_err(|e| OpenApiError::Parse {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        if !v.is_object() {
            return Err(shape(file, "must be a mapping at its top level"));
        }
        parsed.push((*file, v));
    }
    let base_at = parsed
        .iter()
        .position(|(f, _)| *f == BASE)
        .ok_or(OpenApiError::NoBase)?;
    let (_, mut doc) = parsed.remove(base_at);
    let all_refs: Vec<(String, Vec<String>)> = std::iter::once((BASE, &doc))
        .chain(parsed.iter().map(|(f, v)| (*f, v)))
        .map(|(f, v)| {
            let mut r = Vec::new();
            refs(v, &mut r);
            (f.to_string(), r)
        })
        .collect();
    {
        let root = object(BASE, &mut doc, "the document")?;
        let info = root
            .entry("info")
            .or_insert_with(|| Value::Object(Map::new()));
        object(BASE, info, "info")?.insert("version".into(), Value::String(version.into()));
        for key in ["paths", "components"] {
            root.entry(key).or_insert_with(|| Value::Object(Map::new()));
        }
        root.entry("tags")
            .or_insert_with(|| Value::Array(Vec::new()));
    }
    // Who gave what first, to name both files of a duplicate.
    let mut owners: std::collections::HashMap<String, String> = Default::default();
    let mut claim = |what: String, file: &str| -> Result<(), OpenApiError> {
        match owners.insert(what.clone(), file.to_string()) {
            Some(first) => Err(OpenApiError::Duplicate {
                what,
                first,
                second: file.to_string(),
            }),
            None => Ok(()),
        }
    };
    // The base's own claims.
    let base_claims = claims(BASE, &mut doc.clone())?;
    for c in base_claims {
        claim(c, BASE)?;
    }
    for (file, mut frag) in parsed {
        for key in object(file, &mut frag, "the fragment")?.keys() {
            if !FRAGMENT_KEYS.contains(&key.as_str()) {
                return Err(shape(
                    file,
                    format!(
                        "top-level '{key}' is not allowed; a fragment has only {} ('{BASE}' has the rest)",
                        FRAGMENT_KEYS.join(", ")
                    ),
                ));
            }
        }
        for c in claims(file, &mut frag)? {
            claim(c, file)?;
        }
        let frag = object(file, &mut frag, "the fragment")?;
        let root = object(BASE, &mut doc, "the document")?;
        if let Some(mut paths) = frag.remove("paths") {
            let into = object(
                BASE,
                root.entry("paths")
                    .or_insert_with(|| Value::Object(Map::new())),
                "paths",
            )?;
            for (path, item) in std::mem::take(object(file, &mut paths, "paths")?) {
                let Value::Object(item) = item else {
                    return Err(shape(file, format!("path '{path}' must be a mapping")));
                };
                let slot = into
                    .entry(path.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                object(file, slot, "a path")?.extend(item);
            }
        }
        if let Some(mut comps) = frag.remove("components") {
            let into = object(
                BASE,
                root.entry("components")
                    .or_insert_with(|| Value::Object(Map::new())),
                "components",
            )?;
            for (section, items) in std::mem::take(object(file, &mut comps, "components")?) {
                let Value::Object(items) = items else {
                    return Err(shape(
                        file,
                        format!("components/{section} must be a mapping"),
                    ));
                };
                let slot = into
                    .entry(section.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                object(file, slot, "a components section")?.extend(items);
            }
        }
        if let Some(Value::Array(tags)) = frag.remove("tags") {
            if let Some(Value::Array(into)) = root.get_mut("tags") {
                into.extend(tags);
            }
        }
    }
    for (file, targets) in all_refs {
        for target in targets {
            let found = target
                .strip_prefix('#')
                .is_some_and(|pointer| doc.pointer(pointer).is_some());
            if !found {
                return Err(OpenApiError::DanglingRef { file, target });
            }
        }
    }
    Ok(doc)
}

/// What a fragment describes, each once: `GET /path`, `/path parameters`,
/// `components/schemas/Name`, `tag Name`.
fn claims(file: &str, frag: &mut Value) -> Result<Vec<String>, OpenApiError> {
    let mut out = Vec::new();
    let root = object(file, frag, "the fragment")?;
    if let Some(paths) = root.get_mut("paths") {
        for (path, item) in object(file, paths, "paths")? {
            let item = object(file, item, "a path")?;
            for key in item.keys() {
                if METHODS.contains(&key.as_str()) {
                    out.push(format!("{} {path}", key.to_uppercase()));
                } else {
                    out.push(format!("{path} {key}"));
                }
            }
        }
    }
    if let Some(comps) = root.get_mut("components") {
        for (section, items) in object(file, comps, "components")? {
            for name in object(file, items, "a components section")?.keys() {
                out.push(format!("components/{section}/{name}"));
            }
        }
    }
    if let Some(tags) = root.get("tags") {
        let Some(tags) = tags.as_array() else {
            return Err(shape(file, "tags must be a list"));
        };
        for t in tags {
            let name = t
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| shape(file, "every tag needs a name"))?;
            out.push(format!("tag {name}"));
        }
    }
    Ok(out)
}

/// The document, as served.
#[derive(Debug)]
pub struct Document {
    /// The merged document.
    pub value: Value,
    /// As JSON text.
    pub json: String,
    /// As YAML text.
    pub yaml: String,
}

/// The document of the embedded fragments with this build's version, merged on first use and
/// kept.
pub fn document() -> Result<&'static Document, &'static OpenApiError> {
    static DOC: OnceLock<Result<Document, OpenApiError>> = OnceLock::new();
    DOC.get_or_init(|| {
        let value = merge(fragments(), env!("CARGO_PKG_VERSION"))?;
        let json = serde_json::to_string(&value).map_err(|e| OpenApiError::Write(e.to_string()))?;
        let yaml =
            serde_norway::to_string(&value).map_err(|e| OpenApiError::Write(e.to_string()))?;
        Ok(Document { value, json, yaml })
    })
    .as_ref()
}

fn served(content_type: &'static str, text: fn(&Document) -> &str) -> Result<Response, ApiError> {
    let doc = document().map_err(|e| crate::Error::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        text(doc).to_string(),
    )
        .into_response())
}

/// `GET /openapi.json`: the document as JSON (`application/vnd.oai.openapi+json;version=3.0`, as
/// OGC API – Features names it).
pub async fn json(_: NoParams) -> Result<Response, ApiError> {
    served(crate::ogc::OPENAPI, |d| &d.json)
}

/// `GET /openapi.yaml`: the document as YAML.
pub async fn yaml(_: NoParams) -> Result<Response, ApiError> {
    served("application/yaml; charset=utf-8", |d| &d.yaml)
}

/// `GET /api-docs`: the reference page (`web/api-docs.html`, Swagger UI over `/openapi.json`).
pub async fn page(
    _: NoParams,
    State(app): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    super::web::api_docs(&app, &headers).await
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE_TEXT: &str = "openapi: 3.0.3\ninfo: {title: t, version: x}\npaths: {}\ncomponents:\n  schemas:\n    E: {type: object}\n";

    #[test]
    fn the_embedded_fragments_merge() {
        let doc = document().unwrap();
        assert_eq!(doc.value["openapi"], "3.0.3");
        assert_eq!(doc.value["info"]["version"], env!("CARGO_PKG_VERSION"));
        assert!(doc.value["paths"]["/api/services"]["get"].is_object());
    }

    #[test]
    fn fragments_merge_and_refuse_duplicates_and_dangling_refs() {
        let a = "paths:\n  /a:\n    get: {responses: {'200': {description: ok}}}\n";
        let b = "paths:\n  /a:\n    post: {responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/E'}}}}}}\n";
        let doc = merge(&[(BASE, BASE_TEXT), ("a.yaml", a), ("b.yaml", b)], "9").unwrap();
        assert!(doc["paths"]["/a"]["get"].is_object() && doc["paths"]["/a"]["post"].is_object());
        assert_eq!(doc["info"]["version"], "9");

        let e = merge(&[(BASE, BASE_TEXT), ("a.yaml", a), ("c.yaml", a)], "9").unwrap_err();
        assert!(
            matches!(&e, OpenApiError::Duplicate { what, first, second }
            if what == "GET /a" && first == "a.yaml" && second == "c.yaml"),
            "{e}"
        );

        let dup = "components:\n  schemas:\n    E: {type: string}\n";
        let e = merge(&[(BASE, BASE_TEXT), ("d.yaml", dup)], "9").unwrap_err();
        assert!(e.to_string().contains("components/schemas/E"), "{e}");

        let dangling =
            "paths:\n  /b:\n    get: {responses: {'200': {$ref: '#/components/responses/Nope'}}}\n";
        let e = merge(&[(BASE, BASE_TEXT), ("e.yaml", dangling)], "9").unwrap_err();
        assert!(
            e.to_string().contains("e.yaml") && e.to_string().contains("Nope"),
            "{e}"
        );

        let e = merge(&[(BASE, BASE_TEXT), ("f.yaml", "info: {title: x}\n")], "9").unwrap_err();
        assert!(
            e.to_string().contains("f.yaml") && e.to_string().contains("'info'"),
            "{e}"
        );

        let e = merge(&[(BASE, BASE_TEXT), ("g.yaml", "paths: [\n")], "9").unwrap_err();
        assert!(
            matches!(&e, OpenApiError::Parse { file, .. } if file == "g.yaml"),
            "{e}"
        );

        assert!(matches!(
            merge(&[("a.yaml", a)], "9"),
            Err(OpenApiError::NoBase)
        ));
    }
}
