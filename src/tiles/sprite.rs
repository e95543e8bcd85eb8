//! The styles' sprite: the images their layers name (today the no-places hatch), as the PNG
//! and JSON index MapLibre and QGIS fetch beside a style (`<sprite>.png`, `<sprite>.json`, and
//! `@2x` for sharp screens).
use crate::{Error, Result};
use serde_json::{json, Value};

/// The hatch's name in the styles (`fill-pattern`).
pub const HATCH: &str = "bussola-hatch";
/// The hatch's side at pixel ratio 1.
const SIDE: u32 = 8;

/// The sprite sheet at `ratio` (1 or 2) as PNG: the hatch, a dark diagonal over a light veil.
///
/// ```
/// let png = bussola::tiles::sprite::png(2).unwrap();
/// assert_eq!(&png[1..4], b"PNG");
/// ```
pub fn png(ratio: u32) -> Result<Vec<u8>> {
    let side = SIDE * ratio;
    let mut rgba = Vec::with_capacity((side * side * 4) as usize);
    for y in 0..side {
        for x in 0..side {
            // The same pattern as the page drew on a canvas: two pixels of every eight.
            let on = ((x + y) / ratio) % SIDE < 2;
            rgba.extend_from_slice(if on {
                &[40, 40, 40, 230]
            } else {
                &[255, 255, 255, 90]
            });
        }
    }
    let mut out = Vec::new();
    let err = |e: png::EncodingError| Error::Internal(format!("sprite: {e}"));
    let mut enc = png::Encoder::new(&mut out, side, side);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header().map_err(err)?;
    w.write_image_data(&rgba).map_err(err)?;
    w.finish().map_err(err)?;
    Ok(out)
}

/// The sprite's index at `ratio`: where each image lies in the sheet.
pub fn index(ratio: u32) -> Value {
    let side = SIDE * ratio;
    json!({ HATCH: { "x": 0, "y": 0, "width": side, "height": side, "pixelRatio": ratio } })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_sheet_holds_what_the_index_says() {
        for ratio in [1, 2] {
            let png = super::png(ratio).unwrap();
            let d = png::Decoder::new(std::io::Cursor::new(png));
            let r = d.read_info().unwrap();
            let (w, h) = (r.info().width, r.info().height);
            let i = super::index(ratio);
            assert_eq!(i[super::HATCH]["width"], w);
            assert_eq!(i[super::HATCH]["height"], h);
            assert_eq!(i[super::HATCH]["pixelRatio"], ratio);
        }
    }
}
