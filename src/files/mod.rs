//! A region's files: the manifest that lists them ([`manifest`]) and the readers of their
//! formats ([`read`]: GeoJSON, CSV, FlatGeobuf, GeoPackage, and [`shapefile`] with its [`prj`]).
//! Below `geocode`, `region` and the loaders, which all read files; `region` re-exports these
//! modules (`region::manifest`, `region::read`, ...).
mod dbf_dates;
pub mod manifest;
mod overrides;
pub mod prj;
mod raw;
pub mod read;
pub mod shapefile;
