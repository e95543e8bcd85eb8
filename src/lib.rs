//! Bússola: an open map service for social care.
//!
//! The library knows nothing of HTTP; the [`api`] module is a thin layer over it.
//!
//! | module | what it holds |
//! |---|---|
//! | [`issue`] | problems found in data (file, place, field) and their severity |
//! | [`account`] | accounts and roles: what an account may do |
//! | [`taxonomy`] | the social responses (respostas sociais) after Carta Social's classification, and target groups, loaded from data |
//! | [`model`] | providers, services, municipalities and their population; training offers (`model::training`); the brief the index keeps of a service, and the [`model::Facts`] a brief and a record both answer |
//! | [`distance`] | geodesic distance and the unit-sphere embedding used by the index |
//! | [`index`] | the R-tree over services' briefs: nearest-k and bounding-box queries; each write's briefs before and after |
//! | [`coverage`] | Carta Social's coverage indicators and gap classes by municipality |
//! | [`surface`] | where people live: weighted population points per municipality |
//! | [`access`] | distance-based gap indicators and capacity-aware access (2SFCA) |
//! | [`scenario`] | what-if openings and closures, on a copy of the data |
//! | [`ingest`] | records from any source, checked, placed and converted into services; imports planned in linear time, files of misplaced points refused whole |
//! | [`files`] | a region's files: the manifest and the readers of their formats (GeoJSON, CSV, FlatGeobuf, GeoPackage, Shapefile) |
//! | [`region`] | regions: boundaries, population and surface from a manifest, regions merged; whether a point lies in its municipality (`within`) |
//! | [`load`] | the region loader (`Region::load`, `Region::from_manifest`, [`load::load_all`]): a manifest's services read and checked by ingest, with the boundaries and population |
//! | [`quality`] | field validators, cross-source duplicates and the quality report |
//! | [`reproject`] | reprojection of any EPSG CRS to WGS84 |
//! | [`store`] | durable storage behind the [`store::Store`] trait, typed and engine-neutral; the embedded SQLite backend and the PostgreSQL/PostGIS one; the `--database` choice |
//! | [`auth`] | accounts and roles, single-use login links, session tokens (hashed) |
//! | [`mail`] | sending e-mail (invitations): a log-only default or SMTP, behind [`mail::Mailer`] |
//! | [`edit`] | editing services: field validation, review classes, history and revert |
//! | [`fields`] | the editable fields of services and organisations: review class, value, validation |
//! | [`catalog`] | the store and the index kept in step (the index a snapshot readers never wait for; full records read from the store on demand); the queries the API serves |
//! | [`geocode`] | placing records from postal code, locality, parish or municipality (a gazetteer) |
//! | [`export`] | the region's data as open files: GeoJSON, CSV, FlatGeobuf, HSDS 3.0; service features serialised once per record for the API |
//! | [`feedback`] | citizens' reports of wrong records, sent without an account |
//! | [`survey`] | the usefulness survey: configured questions, answers without personal data, results |
//! | [`freshness`] | confirmations, the staleness dashboard, and what providers get back (use counts) |
//! | [`profiles`] | professional profiles of social care: the CNQ qualifications of the sector, in plain words, and the responses that employ them (`geodata/profiles.toml`) |
//! | [`training`] | training offers' rules: checking a submission, which offers a public list shows (nearest first), iCalendar and schema.org JSON-LD, CSV rows, the offer's page |
//! | [`public_services`] | useful public services (Segurança Social, the 144 line, SNS 24, IEFP, Carta Social, district centres, each municipality's social service), links and phones only where verified (`geodata/public_services.toml`) |
//! | [`places`] | place names people type (municipalities, localities) and where they are |
//! | [`demo`] | the deterministic generator of invented services and of the test region |
//! | [`shipped`] | builds the shipped default (the whole of Alentejo) from the shared open data |
//! | [`ogc`] | OGC API – Features over the catalog: collections, items with paging, boxes, dates and property filters, CRSs (CRS84, EPSG:4326, EPSG:3763), queryables; its HTML pages |
//! | [`tiles`] | Mapbox Vector Tiles from the index and the region, behind [`tiles::TileSource`]; a cache that keeps the tiles no change reached; low-zoom clusters summed once and updated with each write's changes |
//! | [`text`] | accent- and case-insensitive matching of Portuguese names; CSV cells a spreadsheet shows but never runs |
//! | [`handover`] | helping someone else find care: the link that carries a search and the services chosen from it, the plain page without a script (`/find`), the sheet to hand over (A4, large type, a small map, a QR code) and its e-mail |
//! | [`news`] | news from the regional coordinator: fields checked, Markdown rendered to sanitised HTML, the public view, the Atom feed, the demonstration items of a fresh start |
//! | [`trends`] | indicators kept over time: snapshots recorded daily and after changes, past days rebuilt from the change history, published reference values, alerts and their Atom feeds, what changed between two dates |
//! | [`feed`] | Atom feeds of dated items (news, training offers): [`feed::Feed`] of plain values written by [`feed::to_atom`] |
//! | [`api`] | the HTTP API (axum): thin handlers over [`catalog`] |
//!
//! ## Layers
//!
//! A module uses only modules of its own layer or of a layer below, never one above, and no
//! modules use each other in a loop. Bottom first (the `layers_tests` unit test reads this list
//! and checks every `use crate::…` of `src/` against it; see
//! `docs/development/architecture-layers.md`):
//!
//! - **vocabulary**: `text`, `reproject`, `error`, `issue`, `model`, `account`, `taxonomy`,
//!   `distance`, `mail`, `feed`
//! - **data**: `demo`, `surface`, `index`, `places`, `profiles`, `public_services`, `survey`, `files`, `geocode`, `region`,
//!   `access`, `coverage`, `scenario`, `shipped`
//! - **checks**: `quality`, `feedback`
//! - **store**: `store`
//! - **rules**: `auth`, `fields`, `ingest`, `load`, `training`
//! - **use cases**: `catalog`, `edit`, `freshness`, `export`, `tiles`, `ogc`, `news`, `trends`,
//!   `datapackage`, `handover`
//! - **top**: `api`
//!
//! The binary's command line (`src/cli/`, in the `bussola` binary crate) sits above all of them.
//! Imports against this order, if any had to remain, would be listed with their reasons in the
//! test's `ALLOWED` (today: none).
#![forbid(unsafe_code)]
// Library code may not unwrap, expect or panic (`[lints]` in Cargo.toml); its tests may.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]
#![warn(missing_docs)]

pub mod access;
pub mod account;
pub mod api;
pub mod auth;
pub mod catalog;
pub mod coverage;
pub mod datapackage;
pub mod demo;
pub mod distance;
pub mod edit;
pub mod error;
pub mod export;
pub mod feed;
pub mod feedback;
pub mod fields;
pub mod files;
pub mod freshness;
pub mod geocode;
pub mod handover;
pub mod index;
pub mod ingest;
pub mod issue;
pub mod load;
pub mod mail;
pub mod model;
pub mod news;
pub mod ogc;
pub mod places;
pub mod profiles;
pub mod public_services;
pub mod quality;
pub mod region;
pub mod reproject;
pub mod scenario;
pub mod shipped;
pub mod store;
pub mod surface;
pub mod survey;
pub mod taxonomy;
pub mod text;
pub mod tiles;
pub mod training;
pub mod trends;

pub use error::{Error, Result};

#[cfg(test)]
mod layers_tests;
