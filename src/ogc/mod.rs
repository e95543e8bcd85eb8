//! OGC API – Features over the catalog, under [`ROOT`]: the landing page, the conformance
//! declaration, the collections (services and municipalities, and each region's own when
//! several are served together), their items with paging, `bbox`, `datetime` and property
//! filters, single items, in CRS84, EPSG:4326 or EPSG:3763 (Part 2), and the queryables with a
//! small CQL2-text `filter` (Part 3). This module knows nothing of HTTP: `crate::api::ogc`
//! parses requests, calls it and serialises; [`html`] writes the HTML pages.
//!
//! Services are the catalog's own (the listing's order: name, then id); their features are the
//! API's (the kept text of [`FeatureCache`] in CRS84). Municipalities are the region's, with the
//! coverage indicators of `/api/municipalities`.
pub mod crs;
pub mod html;
pub mod query;

use crate::catalog::{Catalog, Filter};
use crate::coverage::Indicator;
use crate::export::feature_text::FeatureCache;
use crate::export::features::{collection, municipality_feature, service_feature};
use crate::model::{Brief, Facts, Municipality, Service};
use crate::region::Region;
use crate::{Error, Result};
pub use crs::OgcCrs;
use geo::{BoundingRect, Intersects};
pub use query::ItemsQuery;
use serde_json::{json, Map, Value};
use std::collections::HashSet;
use std::sync::Arc;

/// Where the OGC API is served.
pub const ROOT: &str = "/ogc";
/// Items per page when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 10;
/// The largest `limit`; a larger one is served as this many (as OGC API – Features asks).
pub const MAX_LIMIT: usize = 1000;

/// The media type of GeoJSON.
pub const GEOJSON: &str = "application/geo+json";
/// The media type of the OpenAPI document.
pub const OPENAPI: &str = "application/vnd.oai.openapi+json;version=3.0";

/// The conformance classes implemented.
pub const CONFORMANCE: &[&str] = &[
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
];

/// Which features a collection holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// Services, as points.
    Services,
    /// Municipalities, as polygons with population and coverage.
    Municipalities,
}

impl Layer {
    fn key(self) -> &'static str {
        match self {
            Layer::Services => "services",
            Layer::Municipalities => "municipalities",
        }
    }
}

/// A collection: a layer, of every region served or of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionId {
    /// The features.
    pub layer: Layer,
    /// One region's id (of those served together), or all.
    pub region: Option<String>,
}

impl CollectionId {
    /// Its id in URLs: `services`, `municipalities`, `services-<region>`, ….
    pub fn id(&self) -> String {
        match &self.region {
            Some(r) => format!("{}-{r}", self.layer.key()),
            None => self.layer.key().to_string(),
        }
    }

    /// The collections served: both layers, and each region's when several are served.
    pub fn all(region: &Region) -> Vec<CollectionId> {
        let mut out = vec![
            CollectionId {
                layer: Layer::Services,
                region: None,
            },
            CollectionId {
                layer: Layer::Municipalities,
                region: None,
            },
        ];
        if region.parts.len() > 1 {
            for p in &region.parts {
                for layer in [Layer::Services, Layer::Municipalities] {
                    out.push(CollectionId {
                        layer,
                        region: Some(p.id.clone()),
                    });
                }
            }
        }
        out
    }

    /// The collection with this id, or not found.
    pub fn find(region: &Region, id: &str) -> Result<CollectionId> {
        CollectionId::all(region)
            .into_iter()
            .find(|c| c.id() == id)
            .ok_or_else(|| Error::NotFound {
                what: "collection",
                id: id.to_string(),
            })
    }

    /// Its title.
    pub fn title(&self, region: &Region) -> String {
        let name = match &self.region {
            Some(r) => region.part(r).map_or(r.as_str(), |p| p.name.as_str()),
            None => region.name.as_str(),
        };
        match self.layer {
            Layer::Services => format!("{name} — social services"),
            Layer::Municipalities => format!("{name} — municipalities"),
        }
    }

    /// The codes of its region's municipalities (`None`: every region).
    fn municipalities(&self, region: &Region) -> Option<HashSet<String>> {
        let r = self.region.as_ref()?;
        Some(
            region
                .municipalities
                .iter()
                .filter(|m| &m.region == r)
                .map(|m| m.code.clone())
                .collect(),
        )
    }
}

/// A link of a resource.
fn link(href: String, rel: &str, media: &str, title: &str) -> Value {
    json!({"href": href, "rel": rel, "type": media, "title": title})
}

/// The landing page (JSON), links absolute on `base` (`scheme://host[:port]`).
pub fn landing(region: &Region, base: &str) -> Value {
    let root = format!("{base}{ROOT}");
    json!({
        "title": format!("Bússola — {}", region.name),
        "description": "Social care services and municipalities (population, coverage) as OGC API – Features.",
        "attribution": region.attribution.join("; "),
        "links": [
            link(format!("{root}?f=json"), "self", "application/json", "This document"),
            link(format!("{root}?f=html"), "alternate", "text/html", "This document as HTML"),
            link(format!("{base}/openapi.json"), "service-desc", OPENAPI, "The API definition (OpenAPI 3.0)"),
            link(format!("{base}/api-docs"), "service-doc", "text/html", "The API documentation"),
            link(format!("{root}/conformance?f=json"), "conformance", "application/json", "Conformance classes"),
            link(format!("{root}/conformance?f=json"), "http://www.opengis.net/def/rel/ogc/1.0/conformance", "application/json", "Conformance classes"),
            link(format!("{root}/collections?f=json"), "data", "application/json", "The collections"),
            link(format!("{root}/collections?f=json"), "http://www.opengis.net/def/rel/ogc/1.0/data", "application/json", "The collections"),
        ],
    })
}

/// The conformance declaration (JSON).
pub fn conformance() -> Value {
    json!({ "conformsTo": CONFORMANCE })
}

/// Every collection (JSON).
pub fn collections(cat: &Catalog, base: &str) -> Result<Value> {
    let region = cat.region();
    let dates = dates(cat)?;
    let list = CollectionId::all(region)
        .iter()
        .map(|c| describe(cat, c, base, &dates))
        .collect::<Result<Vec<_>>>()?;
    let root = format!("{base}{ROOT}/collections");
    Ok(json!({
        "links": [
            link(format!("{root}?f=json"), "self", "application/json", "This document"),
            link(format!("{root}?f=html"), "alternate", "text/html", "This document as HTML"),
        ],
        "collections": list,
        "crs": crs::SUPPORTED,
    }))
}

/// One collection (JSON).
pub fn collection_info(cat: &Catalog, c: &CollectionId, base: &str) -> Result<Value> {
    describe(cat, c, base, &dates(cat)?)
}

/// Every service's municipality and `updated` date (for the services' temporal extents).
type Dates = Vec<(String, String)>;

fn dates(cat: &Catalog) -> Result<Dates> {
    cat.with_services(|it| {
        it.filter_map(|s| Some((s.municipality.clone(), s.updated.clone()?)))
            .collect()
    })
}

/// The earliest and latest `updated` of a collection's services.
fn updated_range(dates: &Dates, codes: Option<&HashSet<String>>) -> [Option<String>; 2] {
    let mut it = dates
        .iter()
        .filter(|(m, _)| codes.is_none_or(|c| c.contains(m)))
        .map(|(_, d)| d);
    let first = it.next();
    let (lo, hi) = it.fold((first, first), |(lo, hi), d| {
        (lo.min(Some(d)), hi.max(Some(d)))
    });
    [lo.cloned(), hi.cloned()]
}

fn describe(cat: &Catalog, c: &CollectionId, base: &str, dates: &Dates) -> Result<Value> {
    let region = cat.region();
    let id = c.id();
    let href = format!("{base}{ROOT}/collections/{id}");
    let bbox = match c.layer {
        Layer::Services => {
            let codes = c.municipalities(region);
            cat.with_briefs(|it| {
                bbox_of(
                    it.filter(|b| codes.as_ref().is_none_or(|m| m.contains(b.municipality())))
                        .map(|b| [b.lon(), b.lat(), b.lon(), b.lat()]),
                )
            })
        }
        Layer::Municipalities => bbox_of(
            region
                .municipalities
                .iter()
                .filter(|m| c.region.as_ref().is_none_or(|r| &m.region == r))
                .filter_map(|m| m.geometry.bounding_rect())
                .map(|r| [r.min().x, r.min().y, r.max().x, r.max().y]),
        ),
    };
    let mut extent = json!({
        "spatial": {"bbox": [bbox.unwrap_or([-180.0, -90.0, 180.0, 90.0])], "crs": crs::CRS84},
    });
    if c.layer == Layer::Services {
        let [first, last] = updated_range(dates, c.municipalities(region).as_ref());
        let at = |d: Option<String>| d.map(|d| format!("{d}T00:00:00Z"));
        extent["temporal"] = json!({
            "interval": [[at(first), at(last)]],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        });
    }
    let description = match c.layer {
        Layer::Services => "Social care services (one response at one place): type, target group, provider, capacity, contact, position and its precision, source and date. Temporal property: `updated`.",
        Layer::Municipalities => "Municipalities (concelhos) with their resident population and Carta Social's coverage indicators for older people and early childhood.",
    };
    Ok(json!({
        "id": id,
        "title": c.title(region),
        "description": description,
        "itemType": "feature",
        "extent": extent,
        "crs": crs::SUPPORTED,
        "storageCrs": crs::CRS84,
        "links": [
            link(format!("{href}?f=json"), "self", "application/json", "This collection"),
            link(format!("{href}?f=html"), "alternate", "text/html", "This collection as HTML"),
            link(format!("{href}/items?f=json"), "items", GEOJSON, "The features"),
            link(format!("{href}/items?f=html"), "items", "text/html", "The features as HTML"),
            link(format!("{href}/queryables"), "http://www.opengis.net/def/rel/ogc/1.0/queryables", "application/schema+json", "The properties features can be filtered on"),
        ],
    }))
}

fn bbox_of(it: impl Iterator<Item = [f64; 4]>) -> Option<[f64; 4]> {
    it.reduce(|a, b| {
        [
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[2].max(b[2]),
            a[3].max(b[3]),
        ]
    })
}

/// A page of items: the FeatureCollection as text, in the CRS asked.
#[derive(Debug)]
pub struct Items {
    /// The GeoJSON FeatureCollection (with `links`, `numberMatched`, `numberReturned`,
    /// `timeStamp`).
    pub body: String,
    /// How many features match in all.
    pub matched: usize,
    /// How many are in this page.
    pub returned: usize,
    /// The CRS of the coordinates.
    pub crs: OgcCrs,
}

/// A page of a collection's items. Services' features come from `cache` when answered in CRS84.
pub fn items(
    cat: &Catalog,
    cache: &FeatureCache,
    c: &CollectionId,
    q: &ItemsQuery,
    base: &str,
) -> Result<Items> {
    let region = cat.region();
    let mut extra = Map::new();
    let (features, matched) = match c.layer {
        Layer::Services => {
            let (page, matched) = services_page(cat, c, q)?;
            (ServicePage::Services(page), matched)
        }
        Layer::Municipalities => {
            let (page, matched) = municipalities_page(cat, c, q)?;
            (ServicePage::Municipalities(page), matched)
        }
    };
    let returned = match &features {
        ServicePage::Services(p) => p.len(),
        ServicePage::Municipalities(p) => p.len(),
    };
    let href = format!("{base}{ROOT}/collections/{}/items", c.id());
    let here = |offset: usize, f: &str| {
        let mut pairs = q.echo.clone();
        pairs.push(("limit".into(), q.limit.to_string()));
        if offset > 0 {
            pairs.push(("offset".into(), offset.to_string()));
        }
        pairs.push(("f".into(), f.into()));
        let text = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("{href}?{text}")
    };
    let mut links = vec![
        link(here(q.offset, "json"), "self", GEOJSON, "This page"),
        link(
            here(q.offset, "html"),
            "alternate",
            "text/html",
            "This page as HTML",
        ),
        link(
            format!("{base}{ROOT}/collections/{}?f=json", c.id()),
            "collection",
            "application/json",
            "The collection",
        ),
    ];
    if q.offset + returned < matched {
        links.push(link(
            here(q.offset + q.limit, "json"),
            "next",
            GEOJSON,
            "The next page",
        ));
    }
    if q.offset > 0 {
        links.push(link(
            here(q.offset.saturating_sub(q.limit), "json"),
            "prev",
            GEOJSON,
            "The previous page",
        ));
    }
    extra.insert("numberMatched".into(), json!(matched));
    extra.insert("numberReturned".into(), json!(returned));
    extra.insert("timeStamp".into(), json!(crate::feedback::now_utc()));
    extra.insert("links".into(), Value::Array(links));
    let conv = q.crs.converter()?;
    let body = match features {
        ServicePage::Services(page) if conv.is_identity() => {
            let items: Vec<(Arc<Brief>, Option<f64>)> =
                page.iter().map(|(b, _)| (b.clone(), None)).collect();
            let missing: HashSet<String> = cache
                .missing(&items)
                .iter()
                .map(|b| b.id().to_string())
                .collect();
            let known: Vec<Service> = page
                .iter()
                .filter_map(|(_, s)| s.clone())
                .filter(|s| missing.contains(&s.id))
                .collect();
            let unread: Vec<&Brief> = page
                .iter()
                .filter(|(b, s)| s.is_none() && missing.contains(b.id()))
                .map(|(b, _)| &**b)
                .collect();
            let mut records = cat.records(&unread)?;
            records.extend(known);
            cache.collection(&items, &records, region, extra)
        }
        ServicePage::Services(page) => {
            let records = full_records(cat, page)?;
            let mut out = Vec::with_capacity(records.len());
            for s in &records {
                let mut f = service_feature(s, region, None);
                conv.geometry(&mut f["geometry"])?;
                out.push(f);
            }
            collection(out, extra).to_string()
        }
        ServicePage::Municipalities(page) => {
            let reports = reports(cat)?;
            let mut out = Vec::with_capacity(page.len());
            for m in page {
                let mut f = municipality_feature(m, &reports);
                conv.geometry(&mut f["geometry"])?;
                out.push(f);
            }
            collection(out, extra).to_string()
        }
    };
    Ok(Items {
        body,
        matched,
        returned,
        crs: q.crs,
    })
}

/// A page's features before serialising.
enum ServicePage<'a> {
    Services(Vec<(Arc<Brief>, Option<Service>)>),
    Municipalities(Vec<&'a Municipality>),
}

/// The full records of a page (those already read kept), in its order.
fn full_records(cat: &Catalog, page: Vec<(Arc<Brief>, Option<Service>)>) -> Result<Vec<Service>> {
    let unread: Vec<&Brief> = page
        .iter()
        .filter(|(_, s)| s.is_none())
        .map(|(b, _)| &**b)
        .collect();
    let mut read: std::collections::HashMap<String, Service> = cat
        .records(&unread)?
        .into_iter()
        .map(|s| (s.id.clone(), s))
        .collect();
    Ok(page
        .into_iter()
        .filter_map(|(b, s)| s.or_else(|| read.remove(b.id())))
        .collect())
}

fn reports(cat: &Catalog) -> Result<Vec<crate::coverage::CoverageReport>> {
    Indicator::ALL
        .iter()
        .map(|&i| cat.coverage(i, None))
        .collect()
}

/// The services a query matches, one page of them (with their records when they were read to
/// filter), and how many match in all.
#[allow(clippy::type_complexity)]
fn services_page(
    cat: &Catalog,
    c: &CollectionId,
    q: &ItemsQuery,
) -> Result<(Vec<(Arc<Brief>, Option<Service>)>, usize)> {
    let region = cat.region();
    let w = &q.wanted;
    for name in ["code", "nuts3"] {
        if w.get(name).is_some() {
            return Err(Error::param(
                name,
                format!(
                    "not a property of services; one of {}",
                    query::SERVICE_QUERYABLES.join(", ")
                ),
            ));
        }
    }
    let area = q.area()?;
    let filter = Filter {
        type_code: w.get("type"),
        group: w.get("group"),
        subarea: w.get("subarea"),
        municipality: w.get("municipality"),
        q: None,
        bbox: area.as_ref().map(|a| a.envelope),
    };
    let codes = c.municipalities(region);
    let precision = w.get("precision");
    let demo = w
        .get("demo")
        .map(|d| query::boolean(&d, "demo"))
        .transpose()?;
    let nature = w.get("provider_nature");
    let in_region = w.get("region");
    if let Some(r) = &in_region {
        if region.part(r).is_none() {
            let all: Vec<&str> = region.parts.iter().map(|p| p.id.as_str()).collect();
            return Err(Error::param(
                "region",
                format!("unknown region '{r}'; one of {}", all.join(", ")),
            ));
        }
    }
    if let Some(p) = &precision {
        if crate::model::Precision::from_name(p).is_none() {
            return Err(Error::param(
                "precision",
                format!(
                    "unknown precision '{p}'; one of {}",
                    query::PRECISIONS.join(", ")
                ),
            ));
        }
    }
    if let Some(n) = &nature {
        if !query::NATURES.contains(&n.as_str()) {
            return Err(Error::param(
                "provider_nature",
                format!(
                    "unknown legal nature '{n}'; one of {}",
                    query::NATURES.join(", ")
                ),
            ));
        }
    }
    let kept: Vec<Arc<Brief>> = cat
        .matching(&filter)?
        .into_iter()
        .filter(|b| codes.as_ref().is_none_or(|m| m.contains(b.municipality())))
        .filter(|b| {
            in_region.as_ref().is_none_or(|r| {
                region
                    .municipality(b.municipality())
                    .is_some_and(|m| &m.region == r)
            })
        })
        .filter(|b| precision.as_ref().is_none_or(|p| b.precision().name() == p))
        .filter(|b| demo.is_none_or(|d| b.demo() == d))
        .filter(|b| area.as_ref().is_none_or(|a| a.contains(b.lon(), b.lat())))
        .collect();
    let page: Vec<(Arc<Brief>, Option<Service>)> = if nature.is_some() || q.datetime.is_some() {
        let briefs: Vec<&Brief> = kept.iter().map(|b| &**b).collect();
        let records = cat.records(&briefs)?;
        let mut by_id: std::collections::HashMap<String, Service> =
            records.into_iter().map(|s| (s.id.clone(), s)).collect();
        kept.into_iter()
            .filter_map(|b| {
                let s = by_id.remove(b.id())?;
                let ok = nature.as_ref().is_none_or(|n| {
                    serde_json::to_value(s.provider.legal_nature)
                        .ok()
                        .is_some_and(|v| v == json!(n))
                }) && q
                    .datetime
                    .as_ref()
                    .is_none_or(|d| s.updated.as_deref().is_some_and(|u| d.contains(u)));
                ok.then_some((b, Some(s)))
            })
            .collect()
    } else {
        kept.into_iter().map(|b| (b, None)).collect()
    };
    let matched = page.len();
    Ok((
        page.into_iter().skip(q.offset).take(q.limit).collect(),
        matched,
    ))
}

/// The municipalities a query matches (in code order), one page of them, and how many match.
fn municipalities_page<'a>(
    cat: &'a Catalog,
    c: &CollectionId,
    q: &ItemsQuery,
) -> Result<(Vec<&'a Municipality>, usize)> {
    let region = cat.region();
    let w = &q.wanted;
    for name in [
        "type",
        "group",
        "subarea",
        "municipality",
        "provider_nature",
        "precision",
        "demo",
    ] {
        if w.get(name).is_some() {
            return Err(Error::param(
                name,
                format!(
                    "not a property of municipalities; one of {}",
                    query::MUNICIPALITY_QUERYABLES.join(", ")
                ),
            ));
        }
    }
    let area = q.area()?;
    let (code, nuts3, in_region) = (w.get("code"), w.get("nuts3"), w.get("region"));
    let mut all: Vec<&Municipality> = region
        .municipalities
        .iter()
        .filter(|m| c.region.as_ref().is_none_or(|r| &m.region == r))
        .filter(|m| code.as_ref().is_none_or(|x| &m.code == x))
        .filter(|m| in_region.as_ref().is_none_or(|x| &m.region == x))
        .filter(|m| nuts3.as_ref().is_none_or(|x| m.nuts3.as_ref() == Some(x)))
        .filter(|m| {
            area.as_ref()
                .is_none_or(|a| a.polygon.intersects(&m.geometry))
        })
        .collect();
    all.sort_by(|a, b| a.code.cmp(&b.code));
    let matched = all.len();
    Ok((
        all.into_iter().skip(q.offset).take(q.limit).collect(),
        matched,
    ))
}

/// One feature of a collection (JSON), in the CRS asked, with its links.
pub fn item(
    cat: &Catalog,
    c: &CollectionId,
    feature_id: &str,
    crs: OgcCrs,
    base: &str,
) -> Result<Value> {
    let region = cat.region();
    let not_found = || Error::NotFound {
        what: "feature",
        id: feature_id.to_string(),
    };
    let codes = c.municipalities(region);
    let in_collection = |code: &str| codes.as_ref().is_none_or(|m| m.contains(code));
    let mut f = match c.layer {
        Layer::Services => {
            let s = match cat.get(feature_id) {
                Ok(s) => s,
                Err(Error::NotFound { .. }) => return Err(not_found()),
                Err(e) => return Err(e),
            };
            if !in_collection(&s.municipality) {
                return Err(not_found());
            }
            service_feature(&s, region, None)
        }
        Layer::Municipalities => {
            let m = region
                .municipality(feature_id)
                .filter(|m| in_collection(&m.code))
                .ok_or_else(not_found)?;
            municipality_feature(m, &reports(cat)?)
        }
    };
    crs.converter()?.geometry(&mut f["geometry"])?;
    let href = format!(
        "{base}{ROOT}/collections/{}/items/{}",
        c.id(),
        query::encode_segment(feature_id)
    );
    f["links"] = json!([
        link(format!("{href}?f=json"), "self", GEOJSON, "This feature"),
        link(
            format!("{href}?f=html"),
            "alternate",
            "text/html",
            "This feature as HTML"
        ),
        link(
            format!("{base}{ROOT}/collections/{}?f=json", c.id()),
            "collection",
            "application/json",
            "The collection"
        ),
    ]);
    Ok(f)
}

/// The queryables of a collection: a JSON Schema of the properties `items` filters on.
pub fn queryables(cat: &Catalog, c: &CollectionId, base: &str) -> Value {
    let region = cat.region();
    let tax = &region.taxonomy;
    let mut props = Map::new();
    let text = |title: &str, values: Vec<String>| json!({"type": "string", "title": title, "enum": values});
    let regions: Vec<String> = region.parts.iter().map(|p| p.id.clone()).collect();
    let munis: Vec<String> = region
        .municipalities
        .iter()
        .filter(|m| c.region.as_ref().is_none_or(|r| &m.region == r))
        .map(|m| m.code.clone())
        .collect();
    match c.layer {
        Layer::Services => {
            props.insert(
                "type".into(),
                text(
                    "Response type code (see /api/taxonomy)",
                    tax.responses().iter().map(|r| r.code.clone()).collect(),
                ),
            );
            props.insert(
                "group".into(),
                text(
                    "Target group",
                    tax.groups().iter().map(|g| g.code.clone()).collect(),
                ),
            );
            props.insert(
                "subarea".into(),
                text(
                    "Carta Social's target population subarea (vt)",
                    tax.subareas().iter().map(|s| s.code.clone()).collect(),
                ),
            );
            props.insert(
                "municipality".into(),
                text("Municipality code (DICO)", munis),
            );
            props.insert(
                "provider_nature".into(),
                text(
                    "The provider's legal nature",
                    query::NATURES.iter().map(|s| s.to_string()).collect(),
                ),
            );
            props.insert(
                "precision".into(),
                text(
                    "Precision of the position",
                    query::PRECISIONS.iter().map(|s| s.to_string()).collect(),
                ),
            );
            props.insert(
                "demo".into(),
                json!({"type": "boolean", "title": "Invented demonstration data"}),
            );
        }
        Layer::Municipalities => {
            props.insert("code".into(), text("Municipality code (DICO)", munis));
            props.insert(
                "nuts3".into(),
                json!({"type": "string", "title": "NUTS III sub-region"}),
            );
        }
    }
    if c.region.is_none() {
        props.insert(
            "region".into(),
            text("The region (of those served together)", regions),
        );
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{base}{ROOT}/collections/{}/queryables", c.id()),
        "type": "object",
        "title": c.title(region),
        "properties": props,
        "additionalProperties": false,
    })
}

#[cfg(test)]
mod tests;
