//! A QR code of a link, drawn as SVG (the `qrcode` crate encodes; each row's runs of dark
//! modules become one path), with the quiet zone of four modules scanners need.
use super::escape;
use crate::{Error, Result};
use qrcode::{Color, EcLevel, QrCode};

/// The QR code of `text` as an SVG element, `title` its accessible name. Error correction M
/// (a crease or a smudge on paper still scans). A text too long for a QR code is refused,
/// naming the note (the only long part of a link).
pub fn svg(text: &str, title: &str) -> Result<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|e| {
        Error::param(
            "note",
            format!("the link is too long for a QR code ({e}): shorten the note"),
        )
    })?;
    let width = code.width();
    let colors = code.to_colors();
    let quiet = 4;
    let size = width + 2 * quiet;
    let mut d = String::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                d.push_str(&format!(
                    "M{} {}h{}v1h-{}z",
                    start + quiet,
                    y + quiet,
                    x - start,
                    x - start
                ));
            } else {
                x += 1;
            }
        }
    }
    Ok(format!(
        "<svg class=\"qr\" viewBox=\"0 0 {size} {size}\" role=\"img\" aria-labelledby=\"qr-title\" shape-rendering=\"crispEdges\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"qr-title\">{}</title><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{d}\" fill=\"#000\"/></svg>",
        escape(title)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_becomes_a_square_of_modules_and_a_huge_one_is_refused() {
        let s = svg("https://example.org/sheet?id=a", "QR").unwrap();
        let size: usize = s
            .split("viewBox=\"0 0 ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .unwrap()
            .parse()
            .unwrap();
        // 17 + 4 × version modules, and the quiet zone on both sides.
        assert_eq!((size - 8 - 17) % 4, 0, "{s}");
        assert!(size > 8 + 17, "{s}");
        assert!(
            s.contains("<path d=\"M4 4h7v1h-7z"),
            "the finder pattern's top row: {s}"
        );
        let err = svg(&"x".repeat(5000), "QR").unwrap_err();
        assert!(matches!(err, Error::InvalidParam { ref param, .. } if param == "note"));
    }
}
