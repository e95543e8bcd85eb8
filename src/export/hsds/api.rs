//! The answers of the HSDS 3.0 API (Open Referral's API reference, `schema/openapi.json` of
//! v3.0) over the catalog: paged lists of services, organizations, service_at_locations,
//! taxonomies and taxonomy terms, and each one by id, with the ids of the export.
//!
//! The HTTP handlers (`crate::api::hsds`) only parse parameters and call these.
use super::objects::Objects;
use crate::catalog::Catalog;
use crate::model::{Provider, Service};
use crate::text::fold;
use crate::{Error, Result};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashSet};

/// Items per page when `per_page` is not given.
pub const DEFAULT_PER_PAGE: usize = 50;
/// The most items one page may hold.
pub const MAX_PER_PAGE: usize = 1000;
/// The HSDS version the API speaks.
pub const VERSION: &str = "3.0";
/// The profile: none of our own, the base specification.
pub const PROFILE: &str = "https://docs.openreferral.org/en/v3.0/";

/// What a list asks for; each route reads only the parameters the reference gives it.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Page number, from 1.
    pub page: Option<usize>,
    /// Items per page, 1 to [`MAX_PER_PAGE`].
    pub per_page: Option<usize>,
    /// Words that must all occur (accents and case aside).
    pub search: Option<String>,
    /// Only services with this taxonomy term (a target group's term covers its responses).
    pub taxonomy_term_id: Option<String>,
    /// Only services with a term of this taxonomy; only terms of it.
    pub taxonomy_id: Option<String>,
    /// Only services of this organization.
    pub organization_id: Option<String>,
    /// Only services updated on or after this date (`YYYY-MM-DD` or an RFC 3339 date-time).
    pub modified_after: Option<String>,
    /// Only services whose postal code starts with this (`7000` or `7000-123`).
    pub postcode: Option<String>,
    /// Only terms under this parent term.
    pub parent_id: Option<String>,
    /// Only top-level terms (without a parent).
    pub top_only: bool,
    /// Services as `id`, `name`, `status` and `last_modified` only; all on one page unless
    /// `per_page` is given.
    pub minimal: bool,
    /// Fully nested objects instead of the list's one-to-one fields.
    pub full: bool,
    /// Organizations' services fully nested.
    pub full_service: bool,
}

/// The API's root: HSDS version, profile and where its OpenAPI document is.
pub fn info(openapi_url: &str) -> Value {
    json!({"version": VERSION, "profile": PROFILE, "openapi_url": openapi_url})
}

/// One page of `items` in the reference's envelope: `total_items`, `total_pages`,
/// `page_number`, `size` (the page size asked for), `first_page`, `last_page`, `empty` and
/// `contents`. `make` builds only the page's items.
fn paged<T>(items: &[T], q: &Query, one_page: bool, make: impl Fn(&T) -> Value) -> Result<Value> {
    let page = q.page.unwrap_or(1);
    if page == 0 {
        return Err(Error::param("page", "pages are numbered from 1"));
    }
    let per_page = match q.per_page {
        Some(n) if n == 0 || n > MAX_PER_PAGE => {
            return Err(Error::param(
                "per_page",
                format!("must be between 1 and {MAX_PER_PAGE}, got {n}"),
            ))
        }
        Some(n) => n,
        None if one_page => items.len().max(1),
        None => DEFAULT_PER_PAGE,
    };
    let total = items.len();
    let pages = total.div_ceil(per_page);
    let contents: Vec<Value> = items
        .iter()
        .skip((page - 1).saturating_mul(per_page))
        .take(per_page)
        .map(make)
        .collect();
    Ok(json!({
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": per_page,
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": contents.is_empty(),
        "contents": contents,
    }))
}

/// Every service, by name then id.
fn all_services(cat: &Catalog) -> Result<Vec<Service>> {
    let mut all = cat.all()?;
    all.sort_by_cached_key(|s| (fold(&s.name), s.id.clone()));
    Ok(all)
}

/// `YYYY-MM-DD` of a date or date-time parameter.
fn day(param: &str, value: &str) -> Result<String> {
    let d: String = value.chars().take(10).collect();
    let date_ok = d.len() == 10
        && d.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let rest_ok = value
        .get(10..)
        .is_some_and(|r| r.is_empty() || r.starts_with(['T', 't', ' ']));
    if date_ok && rest_ok {
        Ok(d)
    } else {
        Err(Error::param(
            param,
            format!("'{value}' is not a date (YYYY-MM-DD) or date-time (RFC 3339)"),
        ))
    }
}

/// The words of a search, folded.
fn words(search: Option<&String>) -> Vec<String> {
    search
        .map(|s| fold(s).split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

/// Decides which services a query keeps.
struct Matcher<'a> {
    ob: Objects<'a>,
    cat: &'a Catalog,
    words: Vec<String>,
    since: Option<String>,
    q: &'a Query,
}

impl<'a> Matcher<'a> {
    fn new(cat: &'a Catalog, q: &'a Query) -> Result<Self> {
        let since = q
            .modified_after
            .as_deref()
            .map(|v| day("modified_after", v))
            .transpose()?;
        Ok(Matcher {
            ob: Objects::new(cat.region()),
            cat,
            words: words(q.search.as_ref()),
            since,
            q,
        })
    }

    fn keeps(&self, s: &Service) -> bool {
        let q = self.q;
        if let Some(o) = &q.organization_id {
            if &Objects::organization_id(&s.provider) != o {
                return false;
            }
        }
        if let Some(since) = &self.since {
            if s.updated.as_ref().is_none_or(|u| u < since) {
                return false;
            }
        }
        if let Some(pc) = &q.postcode {
            if !s
                .postal_code
                .as_deref()
                .is_some_and(|p| p.starts_with(pc.trim()))
            {
                return false;
            }
        }
        if q.taxonomy_term_id.is_some() || q.taxonomy_id.is_some() {
            let attrs = self.ob.attributes(s);
            let mut terms: HashSet<String> = attrs
                .iter()
                .filter_map(|a| a.get("taxonomy_term_id")?.as_str().map(str::to_string))
                .collect();
            let response = self.cat.region().taxonomy.get(&s.type_code);
            if let Some(r) = response {
                terms.insert(super::uuid("taxonomy_term", &format!("group:{}", r.group)));
            }
            if let Some(t) = &q.taxonomy_term_id {
                if !terms.contains(t) {
                    return false;
                }
            }
            if let Some(t) = &q.taxonomy_id {
                let with = if t == &Objects::responses_taxonomy_id() {
                    response.is_some()
                } else {
                    t == &Objects::facts_taxonomy_id()
                };
                if !with {
                    return false;
                }
            }
        }
        if !self.words.is_empty() {
            let response = self.cat.region().taxonomy.get(&s.type_code);
            let muni = self.cat.region().municipality(&s.municipality);
            let hay = fold(&format!(
                "{} {} {} {} {} {} {}",
                s.name,
                s.provider.name,
                s.locality.as_deref().unwrap_or(""),
                s.address.as_deref().unwrap_or(""),
                s.postal_code.as_deref().unwrap_or(""),
                response
                    .map(|r| format!("{} {}", r.pt, r.en))
                    .unwrap_or_default(),
                muni.map(|m| m.name.as_str()).unwrap_or(""),
            ));
            if !self.words.iter().all(|w| hay.contains(w.as_str())) {
                return false;
            }
        }
        true
    }
}

/// `GET /services`: services, as list items, fully nested (`full`) or minimal.
pub fn services(cat: &Catalog, q: &Query) -> Result<Value> {
    let m = Matcher::new(cat, q)?;
    let kept: Vec<Service> = all_services(cat)?
        .into_iter()
        .filter(|s| m.keeps(s))
        .collect();
    let terms = m.ob.taxonomy_terms();
    paged(&kept, q, q.minimal, |s| {
        if q.minimal {
            let o = m.ob.service(s);
            let keep = ["id", "name", "status", "last_modified"];
            Value::Object(
                o.into_iter()
                    .filter(|(k, _)| keep.contains(&k.as_str()))
                    .collect(),
            )
        } else if q.full {
            m.ob.service_full(s, &terms)
        } else {
            m.ob.service_brief(s)
        }
    })
}

/// The service whose HSDS id is `id`.
fn find_service(
    cat: &Catalog,
    what: &'static str,
    id: &str,
    key: fn(&Service) -> String,
) -> Result<Service> {
    cat.all()?
        .into_iter()
        .find(|s| key(s) == id)
        .ok_or_else(|| Error::NotFound {
            what,
            id: id.to_string(),
        })
}

/// `GET /services/{id}`: one service, fully nested.
pub fn service(cat: &Catalog, id: &str) -> Result<Value> {
    let s = find_service(cat, "service", id, Objects::service_id)?;
    let ob = Objects::new(cat.region());
    Ok(ob.service_full(&s, &ob.taxonomy_terms()))
}

/// `GET /service_at_locations`: each service at its place (one each), with location and
/// service, or fully nested (`full`).
pub fn service_at_locations(cat: &Catalog, q: &Query) -> Result<Value> {
    let m = Matcher::new(cat, q)?;
    let kept: Vec<Service> = all_services(cat)?
        .into_iter()
        .filter(|s| m.keeps(s))
        .collect();
    let terms = m.ob.taxonomy_terms();
    paged(&kept, q, false, |s| {
        if q.full {
            m.ob.service_at_location_full(s, &terms)
        } else {
            m.ob.service_at_location_brief(s)
        }
    })
}

/// `GET /service_at_locations/{id}`: one, fully nested.
pub fn service_at_location(cat: &Catalog, id: &str) -> Result<Value> {
    let s = find_service(
        cat,
        "service_at_location",
        id,
        Objects::service_at_location_id,
    )?;
    let ob = Objects::new(cat.region());
    Ok(ob.service_at_location_full(&s, &ob.taxonomy_terms()))
}

/// Every organization with its services (by name then id; services by name).
fn organizations_with_services(cat: &Catalog) -> Result<Vec<(Provider, Vec<Service>)>> {
    let mut by_id: BTreeMap<String, (Provider, Vec<Service>)> = BTreeMap::new();
    for s in all_services(cat)? {
        by_id
            .entry(s.provider.id.clone())
            .or_insert_with(|| (s.provider.clone(), Vec::new()))
            .1
            .push(s);
    }
    let mut all: Vec<(Provider, Vec<Service>)> = by_id.into_values().collect();
    all.sort_by_cached_key(|(p, _)| (fold(&p.name), p.id.clone()));
    Ok(all)
}

/// An organization fully nested: identifier, phone, and its services (their own fields, or
/// fully nested with `full_service`).
fn organization_full(
    ob: &Objects<'_>,
    p: &Provider,
    services: &[Service],
    full_service: bool,
    terms: &[Map<String, Value>],
) -> Value {
    let mut o = ob.organization_nested(p);
    let list: Vec<Value> = services
        .iter()
        .map(|s| {
            Value::Object(if full_service {
                ob.service_nested_core(s, terms)
            } else {
                ob.service(s)
            })
        })
        .collect();
    o.insert("services".into(), Value::Array(list));
    Value::Object(o)
}

/// `GET /organizations`: organizations' own fields, or fully nested (`full`).
pub fn organizations(cat: &Catalog, q: &Query) -> Result<Value> {
    let ob = Objects::new(cat.region());
    let words = words(q.search.as_ref());
    let kept: Vec<(Provider, Vec<Service>)> = organizations_with_services(cat)?
        .into_iter()
        .filter(|(p, _)| {
            let hay = fold(&p.name);
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .collect();
    let terms = ob.taxonomy_terms();
    paged(&kept, q, false, |(p, services)| {
        if q.full || q.full_service {
            organization_full(&ob, p, services, q.full_service, &terms)
        } else {
            Value::Object(ob.organization(p))
        }
    })
}

/// `GET /organizations/{id}`: one organization, fully nested.
pub fn organization(cat: &Catalog, id: &str, full_service: bool) -> Result<Value> {
    let ob = Objects::new(cat.region());
    let (p, services) = organizations_with_services(cat)?
        .into_iter()
        .find(|(p, _)| Objects::organization_id(p) == id)
        .ok_or_else(|| Error::NotFound {
            what: "organization",
            id: id.to_string(),
        })?;
    Ok(organization_full(
        &ob,
        &p,
        &services,
        full_service,
        &ob.taxonomy_terms(),
    ))
}

fn has_words(o: &Map<String, Value>, keys: &[&str], words: &[String]) -> bool {
    let hay = fold(
        &keys
            .iter()
            .filter_map(|k| o.get(*k)?.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    );
    words.iter().all(|w| hay.contains(w.as_str()))
}

/// `GET /taxonomies`.
pub fn taxonomies(cat: &Catalog, q: &Query) -> Result<Value> {
    let words = words(q.search.as_ref());
    let kept: Vec<Value> = Objects::new(cat.region())
        .taxonomies()
        .into_iter()
        .filter(|t| {
            t.as_object()
                .is_some_and(|o| has_words(o, &["name", "description"], &words))
        })
        .collect();
    paged(&kept, q, false, Value::clone)
}

/// `GET /taxonomies/{id}`.
pub fn taxonomy(cat: &Catalog, id: &str) -> Result<Value> {
    Objects::new(cat.region())
        .taxonomies()
        .into_iter()
        .find(|t| t["id"] == id)
        .ok_or_else(|| Error::NotFound {
            what: "taxonomy",
            id: id.to_string(),
        })
}

/// `GET /taxonomy_terms`: target groups, the responses under them, and the facts' terms.
pub fn taxonomy_terms(cat: &Catalog, q: &Query) -> Result<Value> {
    let ob = Objects::new(cat.region());
    let words = words(q.search.as_ref());
    let is = |t: &Map<String, Value>, key: &str, want: &Option<String>| {
        want.as_ref()
            .is_none_or(|w| t.get(key).and_then(Value::as_str) == Some(w.as_str()))
    };
    let kept: Vec<Map<String, Value>> = ob
        .taxonomy_terms()
        .into_iter()
        .filter(|t| {
            has_words(t, &["code", "name", "description"], &words)
                && is(t, "taxonomy_id", &q.taxonomy_id)
                && is(t, "parent_id", &q.parent_id)
                && !(q.top_only && t.contains_key("parent_id"))
        })
        .collect();
    paged(&kept, q, false, |t| Value::Object(t.clone()))
}

/// `GET /taxonomy_terms/{id}`: the term with its taxonomy as `taxonomy_detail`.
pub fn taxonomy_term(cat: &Catalog, id: &str) -> Result<Value> {
    let ob = Objects::new(cat.region());
    ob.taxonomy_terms()
        .into_iter()
        .find(|t| t.get("id").and_then(Value::as_str) == Some(id))
        .map(|t| Value::Object(ob.taxonomy_term_detail(&t)))
        .ok_or_else(|| Error::NotFound {
            what: "taxonomy_term",
            id: id.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_date_times_are_read_as_days() {
        assert_eq!(day("m", "2025-01-31").unwrap(), "2025-01-31");
        assert_eq!(day("m", "2025-01-31T10:00:00Z").unwrap(), "2025-01-31");
        assert!(day("m", "31/01/2025").is_err());
        assert!(day("m", "2025-01-31x").is_err());
        assert!(day("m", "2025-01-3é").is_err());
    }

    #[test]
    fn pages_hold_every_item_once() {
        let items: Vec<usize> = (0..7).collect();
        let q = |page, per_page| Query {
            page: Some(page),
            per_page: Some(per_page),
            ..Query::default()
        };
        let p = paged(&items, &q(3, 3), false, |i| json!(i)).unwrap();
        assert_eq!(p["contents"], json!([6]));
        assert_eq!(
            (p["total_items"].clone(), p["total_pages"].clone()),
            (json!(7), json!(3))
        );
        assert_eq!(
            (p["last_page"].clone(), p["first_page"].clone()),
            (json!(true), json!(false))
        );
        let past = paged(&items, &q(4, 3), false, |i| json!(i)).unwrap();
        assert_eq!(past["empty"], true);
        assert!(paged(&items, &q(0, 3), false, |i| json!(i)).is_err());
        assert!(paged(&items, &q(1, 0), false, |i| json!(i)).is_err());
    }
}
