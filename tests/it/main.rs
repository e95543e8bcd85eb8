//! The integration tests: one binary, one module per subject (each was its own test crate, and
//! each of those linked the whole library, axum and SQLite). `common` holds the shared helpers;
//! fixtures are in `tests/data/`. The browser tests are the separate `tests/browser.rs`.
//!
//! One module: `cargo test --test it accounts::`. Layout: `docs/development/tests.md`.
// Tests may unwrap, expect and panic: the library's [lints] deny them only in library code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod access;
mod accounts;
mod api_errors;
mod api_listing;
mod api_nearest;
mod basemap;
mod carta_social_classification;
mod catalog_sync;
mod catalogs_in_step;
mod cli;
mod common;
mod coverage_api;
mod datapackage;
mod default_region;
mod demo_data;
mod docs_links;
mod durability;
mod export;
mod feedback;
mod formats;
mod freshness;
mod fuzz;
mod gaps_api;
mod gdal_reads;
mod geocode;
mod handover;
mod hardening;
mod hsds;
mod import;
mod import_safety;
mod importers;
mod invitations;
mod invitations_served;
mod locales;
mod news;
mod official_listing;
mod ogc;
mod ogc_clients;
mod openapi;
mod organisations;
mod postgres_served;
mod postgres_tls;
mod profiles;
mod provider_area;
mod public_services;
mod qgis_styles;
mod quality;
mod reads_during_writes;
mod real_data;
mod regions;
mod replicas;
mod reproject_cross_check;
mod store_conformance;
mod store_off_runtime;
mod survey;
mod tiles;
mod training;
mod trends;
mod web;
mod web_modules;
