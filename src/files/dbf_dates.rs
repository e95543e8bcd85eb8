//! GDAL's empty dates in `.dbf` files.
//!
//! `ogr2ogr` writes a missing date as `00000000`; dBase writes eight spaces, and the `dbase`
//! crate refuses anything else that is not a calendar date, so one empty date made the whole
//! Shapefile unreadable. Here the zero dates become blanks before the file is parsed.

/// A `.dbf` byte for byte, with every `00000000` in a date (`D`) field replaced by blanks;
/// `None` when there is none (or the header cannot be read: the parser then says why).
pub(super) fn blank_zero_dates(mut bytes: Vec<u8>) -> Option<Vec<u8>> {
    let u16_at = |i: usize| {
        Some(usize::from(u16::from_le_bytes([
            *bytes.get(i)?,
            *bytes.get(i + 1)?,
        ])))
    };
    let declared = usize::try_from(u32::from_le_bytes(bytes.get(4..8)?.try_into().ok()?)).ok()?;
    let header_len = u16_at(8)?;
    let record_len = u16_at(10)?.max(1);
    // A header may claim more records than the file holds.
    let records = declared.min(bytes.len().saturating_sub(header_len) / record_len);
    // Field descriptors: 32 bytes each from byte 32 up to the 0x0D terminator; a record is a
    // deletion flag followed by the fields in that order.
    let mut dates = Vec::new();
    let mut offset = 1;
    let mut at = 32;
    while at + 32 <= header_len.min(bytes.len()) && bytes[at] != 0x0D {
        let len = usize::from(bytes[at + 16]);
        if bytes[at + 11] == b'D' && len == 8 {
            dates.push(offset);
        }
        offset += len;
        at += 32;
    }
    let mut changed = false;
    for r in 0..records {
        let start = header_len + r * record_len;
        for d in &dates {
            if let Some(v) = bytes.get_mut(start + d..start + d + 8) {
                if v == b"00000000" {
                    v.fill(b' ');
                    changed = true;
                }
            }
        }
    }
    changed.then_some(bytes)
}

#[cfg(test)]
mod tests {
    use super::blank_zero_dates;

    /// A `.dbf` with a 4-byte text field `N` and a date field `D`, one record per date.
    fn dbf(dates: &[&[u8; 8]]) -> Vec<u8> {
        let mut b = vec![0x03, 126, 1, 1];
        b.extend((dates.len() as u32).to_le_bytes());
        b.extend(97u16.to_le_bytes()); // 32 + 2 × 32 + 1
        b.extend(13u16.to_le_bytes()); // 1 + 4 + 8
        b.resize(32, 0);
        for (name, kind, len) in [(b'N', b'C', 4u8), (b'D', b'D', 8u8)] {
            let mut f = [0u8; 32];
            f[0] = name;
            f[11] = kind;
            f[16] = len;
            b.extend(f);
        }
        b.push(0x0D);
        for d in dates {
            b.push(b' ');
            b.extend(b"0000"); // a text that looks like a zero date must stay
            b.extend(*d);
        }
        b.push(0x1A);
        b
    }

    #[test]
    fn zero_dates_become_blank_and_nothing_else_changes() {
        let out = blank_zero_dates(dbf(&[b"00000000", b"20240115"])).expect("changed");
        assert_eq!(&out[97 + 5..97 + 13], b"        ");
        assert_eq!(&out[110 + 1..110 + 5], b"0000");
        assert_eq!(&out[110 + 5..110 + 13], b"20240115");
        assert_eq!(blank_zero_dates(dbf(&[b"20240115"])), None);
    }

    #[test]
    fn a_truncated_header_is_left_to_the_parser() {
        assert_eq!(blank_zero_dates(vec![3, 0, 0]), None);
    }
}
