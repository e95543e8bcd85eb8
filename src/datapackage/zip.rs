//! A small ZIP writer (PKWARE's APPNOTE, without ZIP64): files deflated with `flate2` (already a
//! dependency), names in UTF-8, one modification time for all. Enough for the data package; a
//! file or an archive of 4 GiB or more is refused.
use crate::{Error, Result};
use flate2::write::DeflateEncoder;
use flate2::{Compression, Crc};
use std::io::Write;

/// One file of the archive as stored.
struct Entry {
    name: String,
    crc: u32,
    compressed: u32,
    size: u32,
    offset: u32,
}

/// A ZIP archive being written in memory.
pub struct ZipWriter {
    out: Vec<u8>,
    entries: Vec<Entry>,
    time: u16,
    date: u16,
}

fn too_big(what: &str) -> Error {
    Error::Internal(format!("{what}: 4 GiB or more, beyond a ZIP without ZIP64"))
}

fn u32_of(n: usize, what: &str) -> Result<u32> {
    u32::try_from(n).map_err(|_| too_big(what))
}

impl ZipWriter {
    /// An empty archive whose files are dated `secs` (Unix seconds, UTC; MS-DOS time has a
    /// two-second step and starts in 1980).
    pub fn new(secs: i64) -> Self {
        let day = secs.div_euclid(86_400);
        let rest = secs.rem_euclid(86_400);
        let (y, m, d) = civil(day);
        let year = u16::try_from((y - 1980).clamp(0, 127)).unwrap_or(0);
        let date = (year << 9) | ((m as u16) << 5) | d as u16;
        let (h, min, s) = (rest / 3600, rest % 3600 / 60, rest % 60);
        let time = ((h as u16) << 11) | ((min as u16) << 5) | (s as u16 / 2);
        ZipWriter {
            out: Vec::new(),
            entries: Vec::new(),
            time,
            date,
        }
    }

    /// Adds a file, deflated.
    pub fn add(&mut self, name: &str, data: &[u8]) -> Result<()> {
        let mut crc = Crc::new();
        crc.update(data);
        let mut enc = DeflateEncoder::new(Vec::new(), Compression::default());
        enc.write_all(data)
            .map_err(|e| Error::Internal(format!("zip {name}: {e}")))?;
        let packed = enc
            .finish()
            .map_err(|e| Error::Internal(format!("zip {name}: {e}")))?;
        let entry = Entry {
            name: name.to_string(),
            crc: crc.sum(),
            compressed: u32_of(packed.len(), name)?,
            size: u32_of(data.len(), name)?,
            offset: u32_of(self.out.len(), "the archive")?,
        };
        let name_len = u16::try_from(name.len()).map_err(|_| too_big(name))?;
        let o = &mut self.out;
        o.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        o.extend_from_slice(&20u16.to_le_bytes()); // version needed: 2.0 (deflate)
        o.extend_from_slice(&0x0800u16.to_le_bytes()); // the name is UTF-8
        o.extend_from_slice(&8u16.to_le_bytes()); // deflated
        o.extend_from_slice(&self.time.to_le_bytes());
        o.extend_from_slice(&self.date.to_le_bytes());
        o.extend_from_slice(&entry.crc.to_le_bytes());
        o.extend_from_slice(&entry.compressed.to_le_bytes());
        o.extend_from_slice(&entry.size.to_le_bytes());
        o.extend_from_slice(&name_len.to_le_bytes());
        o.extend_from_slice(&0u16.to_le_bytes()); // no extra field
        o.extend_from_slice(name.as_bytes());
        o.extend_from_slice(&packed);
        self.entries.push(entry);
        Ok(())
    }

    /// The archive: the files, their central directory and its end record.
    pub fn finish(mut self) -> Result<Vec<u8>> {
        let start = u32_of(self.out.len(), "the archive")?;
        let count = u16::try_from(self.entries.len())
            .map_err(|_| Error::Internal("zip: more than 65,535 files".into()))?;
        for e in &self.entries {
            let o = &mut self.out;
            o.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
            o.extend_from_slice(&(0x0300u16 | 20).to_le_bytes()); // made by: Unix, 2.0
            o.extend_from_slice(&20u16.to_le_bytes());
            o.extend_from_slice(&0x0800u16.to_le_bytes());
            o.extend_from_slice(&8u16.to_le_bytes());
            o.extend_from_slice(&self.time.to_le_bytes());
            o.extend_from_slice(&self.date.to_le_bytes());
            o.extend_from_slice(&e.crc.to_le_bytes());
            o.extend_from_slice(&e.compressed.to_le_bytes());
            o.extend_from_slice(&e.size.to_le_bytes());
            o.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
            o.extend_from_slice(&0u16.to_le_bytes()); // extra
            o.extend_from_slice(&0u16.to_le_bytes()); // comment
            o.extend_from_slice(&0u16.to_le_bytes()); // disk
            o.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
            o.extend_from_slice(&(0o100644u32 << 16).to_le_bytes()); // a plain file, rw-r--r--
            o.extend_from_slice(&e.offset.to_le_bytes());
            o.extend_from_slice(e.name.as_bytes());
        }
        let size = u32_of(self.out.len() - start as usize, "the directory")?;
        let o = &mut self.out;
        o.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        o.extend_from_slice(&0u16.to_le_bytes());
        o.extend_from_slice(&0u16.to_le_bytes());
        o.extend_from_slice(&count.to_le_bytes());
        o.extend_from_slice(&count.to_le_bytes());
        o.extend_from_slice(&size.to_le_bytes());
        o.extend_from_slice(&start.to_le_bytes());
        o.extend_from_slice(&0u16.to_le_bytes()); // no comment
        Ok(self.out)
    }
}

/// (year, month, day) of days since 1970-01-01 (Howard Hinnant's civil_from_days).
fn civil(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::DeflateDecoder;
    use std::io::Read;

    fn u16_at(b: &[u8], i: usize) -> u16 {
        u16::from_le_bytes([b[i], b[i + 1]])
    }
    fn u32_at(b: &[u8], i: usize) -> u32 {
        u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
    }

    #[test]
    fn an_archive_reads_back_through_its_central_directory() {
        // 2026-12-07 10:43:46 UTC
        let mut z = ZipWriter::new(1_796_640_226);
        z.add("datapackage.json", b"{\"name\": \"x\"}").unwrap();
        let big = "Évora,0705\n".repeat(1000);
        z.add("data/areas.csv", big.as_bytes()).unwrap();
        let bytes = z.finish().unwrap();
        let end = bytes.len() - 22;
        assert_eq!(u32_at(&bytes, end), 0x0605_4b50);
        assert_eq!(u16_at(&bytes, end + 10), 2);
        let mut at = u32_at(&bytes, end + 16) as usize;
        let mut names = Vec::new();
        for _ in 0..2 {
            assert_eq!(u32_at(&bytes, at), 0x0201_4b50);
            let (crc, packed, size) = (
                u32_at(&bytes, at + 16),
                u32_at(&bytes, at + 20) as usize,
                u32_at(&bytes, at + 24) as usize,
            );
            let name_len = u16_at(&bytes, at + 28) as usize;
            let name = String::from_utf8(bytes[at + 46..at + 46 + name_len].to_vec()).unwrap();
            let local = u32_at(&bytes, at + 42) as usize;
            assert_eq!(u32_at(&bytes, local), 0x0403_4b50);
            // 2026-12-07: (2026 - 1980) << 9 | 12 << 5 | 7; 10:43:46 -> 10 << 11 | 43 << 5 | 23.
            assert_eq!(u16_at(&bytes, local + 12), (46 << 9) | (12 << 5) | 7);
            assert_eq!(u16_at(&bytes, local + 10), (10 << 11) | (43 << 5) | 23);
            let data_at = local + 30 + u16_at(&bytes, local + 26) as usize;
            let mut out = Vec::new();
            DeflateDecoder::new(&bytes[data_at..data_at + packed])
                .read_to_end(&mut out)
                .unwrap();
            assert_eq!(out.len(), size);
            let mut c = Crc::new();
            c.update(&out);
            assert_eq!(c.sum(), crc);
            if name == "data/areas.csv" {
                assert_eq!(out, big.as_bytes());
                assert!(packed * 10 < size, "deflated");
            }
            names.push(name);
            at += 46 + name_len;
        }
        assert_eq!(names, ["datapackage.json", "data/areas.csv"]);
    }
}
