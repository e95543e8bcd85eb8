//! A PMTiles archive (version 3) of vector tiles on local disk, behind [`TileSource`]: the base
//! map's roads, places, water, land use and boundaries, e.g. an extract of Portugal cut from a
//! public Protomaps build.
//!
//! Read with the `pmtiles` crate over positional reads of the file (its own backend here, not a
//! memory map: an archive overwritten while the server runs makes reads fail with an error
//! naming it, where a map would stop the process). The reader keeps the directories it has
//! read; tiles are decompressed here and go through the tile cache like the others.
use super::mercator::TileId;
use super::TileSource;
use crate::catalog::Filter;
use crate::files::manifest::Schema;
use crate::{Error, Result};
use bytes::Bytes;
use pmtiles::{
    AsyncBackend, AsyncPmTilesReader, BackendResponse, Compression, HashMapCache, PmtError,
    PmtResult, TileCoord, TileType,
};
use serde_json::{json, Value};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

/// The archive's own reader, over positional reads.
type Reader = AsyncPmTilesReader<FileBackend, HashMapCache>;

/// An open PMTiles archive of vector tiles.
pub struct Archive {
    path: PathBuf,
    reader: Reader,
    metadata: Value,
    layers: Vec<String>,
    schema: Schema,
    attribution: String,
    size: u64,
}

impl std::fmt::Debug for Archive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Archive")
            .field("path", &self.path)
            .field("layers", &self.layers)
            .field("schema", &self.schema)
            .finish_non_exhaustive()
    }
}

impl Archive {
    /// Opens an archive: its header, root directory and metadata are read and checked, so a
    /// file that is not a PMTiles archive of vector tiles is refused here with what is wrong,
    /// naming the file. `schema` and `attribution` (the manifest's) win over what the archive
    /// says; without them the schema is guessed from its layers and the attribution is its own.
    pub fn open(path: &Path, schema: Option<Schema>, attribution: Option<&str>) -> Result<Self> {
        let bad = |msg: String| Error::data(path, None, None, msg);
        let file = std::fs::File::open(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let backend = FileBackend::new(file, path)?;
        let size = backend.stamp()?.0;
        let reader = block_on(Reader::try_from_cached_source(
            backend,
            HashMapCache::default(),
        ))
        .map_err(|e| bad(describe(&e, size)))?;
        let header = reader.get_header();
        if header.tile_type != TileType::Mvt {
            return Err(bad(format!(
                "holds {} tiles, not vector tiles (MVT); the base map's archive must be of \
                 vector tiles (an outside raster server is `[basemap] raster_tiles`)",
                header.tile_type.content_type()
            )));
        }
        if !matches!(
            header.tile_compression,
            Compression::Gzip | Compression::None
        ) {
            return Err(bad(format!(
                "its tiles are compressed with {:?}; Bússola reads gzip or uncompressed tiles \
                 (`pmtiles extract` of a Protomaps build keeps gzip)",
                header.tile_compression
            )));
        }
        let text = block_on(reader.get_metadata()).unwrap_or_else(|_| "{}".into());
        let metadata: Value = serde_json::from_str(&text)
            .map_err(|e| bad(format!("its metadata is not JSON: {e}")))?;
        let layers: Vec<String> = metadata["vector_layers"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|l| l["id"].as_str().map(String::from))
            .collect();
        let schema = match schema.or_else(|| guess_schema(&layers)) {
            Some(s) => s,
            None => {
                return Err(bad(format!(
                    "its layers ({}) are neither Protomaps' basemap layers (earth, water, \
                     roads, places…) nor OpenMapTiles' (water, transportation, place…); name \
                     the schema with `[basemap] schema`",
                    if layers.is_empty() {
                        "none listed".to_string()
                    } else {
                        layers.join(", ")
                    }
                )))
            }
        };
        let attribution = match attribution.or(metadata["attribution"].as_str()) {
            Some(a) if !a.trim().is_empty() => a.trim().to_string(),
            _ => {
                return Err(bad(
                    "its metadata names no attribution; the map must name the base map's \
                     source: give `[basemap] attribution`"
                        .into(),
                ))
            }
        };
        Ok(Archive {
            path: path.to_path_buf(),
            reader,
            metadata,
            layers,
            schema,
            attribution,
            size,
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Its size in bytes when opened.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The layers its metadata lists.
    pub fn layers(&self) -> &[String] {
        &self.layers
    }

    /// The layer schema the style draws.
    pub fn schema(&self) -> Schema {
        self.schema
    }

    /// Whom the map names for it (may hold HTML links, as MapLibre shows them).
    pub fn attribution(&self) -> &str {
        &self.attribution
    }

    /// The zooms it holds tiles for.
    pub fn zooms(&self) -> (u8, u8) {
        let h = self.reader.get_header();
        (h.min_zoom, h.max_zoom)
    }
}

/// The schema whose characteristic layers the archive has.
fn guess_schema(layers: &[String]) -> Option<Schema> {
    let has = |name: &str| layers.iter().any(|l| l == name);
    if has("earth") || has("roads") {
        Some(Schema::Protomaps)
    } else if has("transportation") || has("place") || has("waterway") {
        Some(Schema::OpenMapTiles)
    } else {
        None
    }
}

/// What a reader's error means for the person who named the file.
fn describe(e: &PmtError, size: u64) -> String {
    match e {
        PmtError::InvalidMagicNumber => {
            "not a PMTiles archive (it does not start with the bytes \"PMTiles\")".into()
        }
        PmtError::UnsupportedPmTilesVersion => {
            "a PMTiles archive of another version than 3; convert it with `pmtiles convert`".into()
        }
        PmtError::InvalidHeader | PmtError::UnexpectedNumberOfBytesReturned(..) => format!(
            "a PMTiles header that does not fit the file ({size} bytes): the file is cut \
             short or damaged (a download that did not finish?)"
        ),
        PmtError::SourceModified => {
            "the file changed on disk since the server opened it; restart the server".into()
        }
        other => format!("not a readable PMTiles archive: {other}"),
    }
}

impl TileSource for Archive {
    fn id(&self) -> &str {
        "bussola:base"
    }

    fn tilejson(&self, tiles_url: &str) -> Value {
        let h = self.reader.get_header();
        let name = self.metadata["name"].as_str().map_or_else(
            || {
                self.path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            },
            String::from,
        );
        json!({
            "tilejson": "3.0.0",
            "name": name,
            "description": self.metadata["description"].as_str().unwrap_or("Base map"),
            "version": self.metadata["version"].as_str().unwrap_or("1"),
            "scheme": "xyz",
            "tiles": [tiles_url],
            "minzoom": h.min_zoom,
            "maxzoom": h.max_zoom,
            "bounds": [h.min_longitude, h.min_latitude, h.max_longitude, h.max_latitude],
            "center": [h.center_longitude, h.center_latitude, h.center_zoom],
            "attribution": self.attribution,
            "vector_layers": self.metadata.get("vector_layers").cloned().unwrap_or(json!([])),
        })
    }

    /// An archive does not change while it is served.
    fn version(&self) -> u64 {
        0
    }

    fn unchanged(&self, _: TileId, _: u64, _: u64) -> bool {
        true
    }

    /// The tile, decompressed; `None` when the archive has none there (outside its area or
    /// zooms). Base tiles take no filter.
    fn get_tile(&self, tile: TileId, _: &Filter) -> Result<Option<Vec<u8>>> {
        let (min, max) = self.zooms();
        if tile.z < min || tile.z > max {
            return Ok(None);
        }
        let coord = TileCoord::new(tile.z, tile.x, tile.y)
            .map_err(|e| Error::Tile(format!("{}: {e}", self.path.display())))?;
        let bytes = block_on(self.reader.get_tile_decompressed(coord)).map_err(|e| {
            Error::Tile(format!(
                "{}: tile {}/{}/{}: {}",
                self.path.display(),
                tile.z,
                tile.x,
                tile.y,
                describe(&e, self.size)
            ))
        })?;
        Ok(bytes.filter(|b| !b.is_empty()).map(|b| b.to_vec()))
    }
}

/// Reads the archive with positional reads; each answer carries the file's size and
/// modification time, so the reader refuses a file changed since it was opened.
struct FileBackend {
    file: std::fs::File,
    path: PathBuf,
}

impl FileBackend {
    fn new(file: std::fs::File, path: &Path) -> Result<Self> {
        Ok(FileBackend {
            file,
            path: path.to_path_buf(),
        })
    }

    /// The file's size and a stamp of its size and modification time.
    fn stamp(&self) -> Result<(u64, String)> {
        let meta = self.file.metadata().map_err(|source| Error::Io {
            path: self.path.clone(),
            source,
        })?;
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        Ok((meta.len(), format!("{}-{modified}", meta.len())))
    }

    fn read_now(&self, offset: u64, length: usize) -> PmtResult<BackendResponse> {
        let mut buf = vec![0u8; length];
        let mut got = 0;
        while got < length {
            let n = read_at(&self.file, &mut buf[got..], offset + got as u64)?;
            if n == 0 {
                break;
            }
            got += n;
        }
        buf.truncate(got);
        let stamp = self
            .stamp()
            .map_err(|e| PmtError::Reading(std::io::Error::other(e.to_string())))?
            .1;
        Ok(BackendResponse::new_with_version(Bytes::from(buf), stamp))
    }
}

#[cfg(unix)]
fn read_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

impl AsyncBackend for FileBackend {
    fn read(&self, offset: u64, length: usize) -> impl Future<Output = PmtResult<BackendResponse>> {
        std::future::ready(self.read_now(offset, length))
    }
}

/// Runs a future to its end on this thread. The reader's futures wait on nothing (the backend
/// reads the file at once, directories and tiles decompress from memory), so they finish on
/// their first poll; should one wait, this thread sleeps until it is woken. Tiles are built on
/// tokio's blocking threads ([`crate::tiles::cache`]), where a thread may block.
fn block_on<F: Future>(fut: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut fut = std::pin::pin!(fut);
    loop {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return out;
        }
        std::thread::park();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pmtiles::PmTilesWriter;

    fn tile_with(layer: &str) -> Vec<u8> {
        let t = mvt::Tile::new(4096);
        let l = t.create_layer(layer);
        let g = mvt::GeomEncoder::new(mvt::GeomType::Point)
            .point(10, 20)
            .unwrap()
            .encode()
            .unwrap();
        let mut f = l.into_feature(g);
        f.add_tag_string("name", "Évora");
        let mut t = t;
        t.add_layer(f.into_layer()).unwrap();
        t.to_bytes().unwrap()
    }

    fn write(path: &Path, metadata: &str, tile_type: TileType) {
        let file = std::fs::File::create(path).unwrap();
        let mut w = PmTilesWriter::new(tile_type)
            .max_zoom(2)
            .metadata(metadata)
            .create(file)
            .unwrap();
        w.add_tile(TileCoord::new(0, 0, 0).unwrap(), &tile_with("earth"))
            .unwrap();
        w.add_tile(TileCoord::new(2, 1, 1).unwrap(), &tile_with("places"))
            .unwrap();
        w.finalize().unwrap();
    }

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("bussola-archive-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn reads_the_tiles_it_holds_and_none_elsewhere() {
        let d = dir("reads");
        let path = d.join("base.pmtiles");
        write(
            &path,
            r#"{"vector_layers":[{"id":"earth"},{"id":"places"}],"attribution":"© OSM"}"#,
            TileType::Mvt,
        );
        let a = Archive::open(&path, None, None).unwrap();
        assert_eq!(a.schema(), Schema::Protomaps);
        assert_eq!(a.attribution(), "© OSM");
        assert_eq!(a.zooms(), (0, 2));
        let get = |z, x, y| {
            a.get_tile(TileId::new(z, x, y).unwrap(), &Filter::default())
                .unwrap()
        };
        assert_eq!(get(2, 1, 1), Some(tile_with("places")), "decompressed");
        assert_eq!(get(0, 0, 0), Some(tile_with("earth")));
        assert_eq!(get(2, 0, 0), None);
        assert_eq!(get(5, 0, 0), None, "above its zooms");
        let tj = a.tilejson("http://x/tiles/base/{z}/{x}/{y}.mvt");
        assert_eq!(tj["maxzoom"], 2);
        assert_eq!(tj["vector_layers"][1]["id"], "places");
        std::fs::remove_dir_all(d).unwrap();
    }

    #[test]
    fn refuses_what_it_cannot_serve_naming_the_file_and_why() {
        let d = dir("refuses");
        let why = |path: &Path| Archive::open(path, None, None).unwrap_err().to_string();

        let text = d.join("text.pmtiles");
        std::fs::write(&text, "not an archive at all, just some text").unwrap();
        let e = why(&text);
        assert!(
            e.contains("text.pmtiles") && e.contains("not a PMTiles archive"),
            "{e}"
        );

        let full = d.join("full.pmtiles");
        write(
            &full,
            r#"{"vector_layers":[{"id":"roads"}],"attribution":"x"}"#,
            TileType::Mvt,
        );
        let bytes = std::fs::read(&full).unwrap();
        let cut = d.join("cut.pmtiles");
        std::fs::write(&cut, &bytes[..100]).unwrap();
        let e = why(&cut);
        assert!(e.contains("cut.pmtiles") && e.contains("cut short"), "{e}");

        let png = d.join("png.pmtiles");
        write(&png, r#"{"attribution":"x"}"#, TileType::Png);
        let e = why(&png);
        assert!(
            e.contains("image/png") && e.contains("not vector tiles"),
            "{e}"
        );

        let odd = d.join("odd.pmtiles");
        write(
            &odd,
            r#"{"vector_layers":[{"id":"things"}],"attribution":"x"}"#,
            TileType::Mvt,
        );
        let e = why(&odd);
        assert!(
            e.contains("things") && e.contains("[basemap] schema"),
            "{e}"
        );
        let named = Archive::open(&odd, Some(Schema::OpenMapTiles), None).unwrap();
        assert_eq!(named.schema(), Schema::OpenMapTiles);

        let unnamed = d.join("unnamed.pmtiles");
        write(
            &unnamed,
            r#"{"vector_layers":[{"id":"roads"}]}"#,
            TileType::Mvt,
        );
        let e = why(&unnamed);
        assert!(e.contains("attribution"), "{e}");
        Archive::open(&unnamed, None, Some("© OpenStreetMap contributors")).unwrap();

        let e = why(&d.join("missing.pmtiles"));
        assert!(e.contains("missing.pmtiles"), "{e}");
        std::fs::remove_dir_all(d).unwrap();
    }
}
