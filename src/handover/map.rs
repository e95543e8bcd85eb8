//! The sheet's small map, drawn as SVG from the region's own boundaries: the municipalities
//! around the chosen services, their seats' names, the place searched from (✚), the services as
//! numbered points (pushed apart where they would cover each other) and a scale bar. Nothing
//! from outside (no tiles), so it prints anywhere.
use super::escape;
use crate::region::Region;
use geo::BoundingRect;

/// A numbered point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pin {
    /// Its number in the list.
    pub n: usize,
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
}

/// The drawing's width and height in its own units.
const W: f64 = 400.0;
const H: f64 = 110.0;
/// Radius of a numbered point.
const R: f64 = 12.0;

/// The view: a lon/lat box with the drawing's aspect, and the projection into it.
struct View {
    west: f64,
    north: f64,
    /// Units per degree of latitude; longitude is shrunk by `cos_lat`.
    scale: f64,
    cos_lat: f64,
}

impl View {
    /// The smallest box around the points with the drawing's aspect, at least `min_km`
    /// across, the points kept off the edges (a numbered point's radius and more) and off the
    /// bottom band, where the scale bar is.
    fn around(points: &[(f64, f64)], min_km: f64) -> Option<View> {
        if points.is_empty() {
            return None;
        }
        let (mut w, mut s, mut e, mut n) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(lon, lat) in points {
            w = w.min(lon);
            e = e.max(lon);
            s = s.min(lat);
            n = n.max(lat);
        }
        let cos_lat = ((s + n) / 2.0).to_radians().cos().max(0.05);
        // The inner box the points may use, in drawing units.
        let (pad, top, bottom) = (R + 6.0, R + 6.0, R + 26.0);
        let (inner_w, inner_h) = (W - 2.0 * pad, H - top - bottom);
        let min_deg = min_km / 111.32;
        // Units per degree: the larger of the spans decides, the smallest view is min_km wide.
        let span_x = ((e - w) * cos_lat).max(1e-9);
        let span_y = (n - s).max(1e-9);
        let scale = (inner_w / span_x).min(inner_h / span_y).min(W / min_deg);
        // Centre the points in the inner box.
        let cx = (w + e) / 2.0;
        let cy = (s + n) / 2.0;
        let west = cx - (pad + inner_w / 2.0) / scale / cos_lat;
        let north = cy + (top + inner_h / 2.0) / scale;
        Some(View {
            west,
            north,
            scale,
            cos_lat,
        })
    }

    fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            (lon - self.west) * self.cos_lat * self.scale,
            (self.north - lat) * self.scale,
        )
    }

    /// The view's lon/lat box.
    fn bbox(&self) -> (f64, f64, f64, f64) {
        let east = self.west + W / self.scale / self.cos_lat;
        let south = self.north - H / self.scale;
        (self.west, south, east, self.north)
    }

    /// Kilometres per drawing unit.
    fn km_per_unit(&self) -> f64 {
        111.32 / self.scale
    }
}

/// A ring as path data: points clamped to a margin around the drawing (so a boundary far
/// outside costs a few points), those closer than a unit to the last one dropped.
fn ring(view: &View, coords: impl Iterator<Item = (f64, f64)>, out: &mut String) {
    const M: f64 = 20.0;
    let mut last: Option<(f64, f64)> = None;
    let mut first = true;
    for (lon, lat) in coords {
        let (x, y) = view.xy(lon, lat);
        let (x, y) = (x.clamp(-M, W + M), y.clamp(-M, H + M));
        if last.is_some_and(|(lx, ly)| (lx - x).abs() < 1.0 && (ly - y).abs() < 1.0) {
            continue;
        }
        out.push_str(&format!(
            "{}{:.0} {:.0}",
            if first { "M" } else { "L" },
            x,
            y
        ));
        first = false;
        last = Some((x, y));
    }
    if !first {
        out.push('Z');
    }
}

/// Offsets that keep numbered points from covering each other (points often share a
/// locality's position), as the map page pushes its badges apart (`web/map-results.js`).
fn declutter(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let gap = R * 2.0 + 2.0;
    let mut off = vec![(0.0f64, 0.0f64); points.len()];
    for _ in 0..60 {
        let mut moved = false;
        for i in 0..points.len() {
            for j in i + 1..points.len() {
                let mut dx = points[j].0 + off[j].0 - points[i].0 - off[i].0;
                let mut dy = points[j].1 + off[j].1 - points[i].1 - off[i].1;
                let mut d = dx.hypot(dy);
                if d >= gap {
                    continue;
                }
                if d < 0.01 {
                    let a = std::f64::consts::TAU * (j % 8) as f64 / 8.0;
                    (dx, dy, d) = (a.cos(), a.sin(), 1.0);
                }
                let push = (gap - d) / 2.0 + 0.5;
                off[i].0 -= dx / d * push;
                off[i].1 -= dy / d * push;
                off[j].0 += dx / d * push;
                off[j].1 += dy / d * push;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    off
}

/// A length for the scale bar: 1, 2 or 5 times a power of ten, near a quarter of the width.
fn nice_km(target: f64) -> f64 {
    let p = 10f64.powf(target.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * p)
        .find(|v| *v <= target)
        .unwrap_or(p)
}

/// The map as an SVG element, `title` its accessible name; `origin_name` names the place
/// searched from in the corner's legend ("✚ Évora"). `None` without any point.
pub fn svg(
    region: &Region,
    origin: Option<(f64, f64)>,
    origin_name: Option<&str>,
    pins: &[Pin],
    title: &str,
) -> Option<String> {
    let mut points: Vec<(f64, f64)> = pins.iter().map(|p| (p.lon, p.lat)).collect();
    points.extend(origin);
    let view = View::around(&points, 3.0)?;
    let (w, s, e, n) = view.bbox();
    let mut out = format!(
        "<svg class=\"map\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"map-title\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"map-title\">{}</title><rect width=\"{W}\" height=\"{H}\" fill=\"#fff\"/>",
        escape(title)
    );
    // The municipalities the view reaches.
    let mut paths = String::new();
    let mut labels = String::new();
    for m in &region.municipalities {
        let Some(b) = m.geometry.bounding_rect() else {
            continue;
        };
        if b.max().x < w || b.min().x > e || b.max().y < s || b.min().y > n {
            continue;
        }
        for poly in &m.geometry.0 {
            ring(
                &view,
                poly.exterior().coords().map(|c| (c.x, c.y)),
                &mut paths,
            );
            for hole in poly.interiors() {
                ring(&view, hole.coords().map(|c| (c.x, c.y)), &mut paths);
            }
        }
        if let Some((name, lon, lat)) = &m.seat {
            let (x, y) = view.xy(*lon, *lat);
            // Not under the place searched from (its own legend names it).
            let under = origin.is_some_and(|(olon, olat)| {
                let (ox, oy) = view.xy(olon, olat);
                (ox - x).abs() < 40.0 && (oy - y).abs() < 16.0
            });
            if !under && (10.0..W - 10.0).contains(&x) && (10.0..H - 10.0).contains(&y) {
                labels.push_str(&format!(
                    "<circle cx=\"{x:.0}\" cy=\"{y:.0}\" r=\"2.5\" fill=\"#555\"/><text x=\"{x:.0}\" y=\"{:.0}\" class=\"seat\">{}</text>",
                    y - 5.0,
                    escape(name)
                ));
            }
        }
    }
    out.push_str(&format!(
        "<path d=\"{paths}\" fill=\"#f3f1ea\" stroke=\"#777\" stroke-width=\"1.2\" fill-rule=\"evenodd\"/>{labels}"
    ));
    // The place searched from.
    if let Some((lon, lat)) = origin {
        let (x, y) = view.xy(lon, lat);
        out.push_str(&format!(
            "<path d=\"M{:.0} {:.0}h6v-6h6v6h6v6h-6v6h-6v-6h-6z\" fill=\"#d55e00\" stroke=\"#000\" stroke-width=\"1.5\"/>",
            x - 9.0,
            y - 3.0
        ));
    }
    // The services, numbered; a line back to the true position of those moved.
    let at: Vec<(f64, f64)> = pins.iter().map(|p| view.xy(p.lon, p.lat)).collect();
    let off = declutter(&at);
    for (i, p) in pins.iter().enumerate() {
        let (x, y) = at[i];
        let (cx, cy) = (x + off[i].0, y + off[i].1);
        if off[i].0.hypot(off[i].1) > R {
            out.push_str(&format!(
                "<line x1=\"{x:.0}\" y1=\"{y:.0}\" x2=\"{cx:.0}\" y2=\"{cy:.0}\" stroke=\"#000\" stroke-width=\"1.5\"/><circle cx=\"{x:.0}\" cy=\"{y:.0}\" r=\"3\"/>"
            ));
        }
        out.push_str(&format!(
            "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"{R}\" fill=\"#12355b\" stroke=\"#fff\" stroke-width=\"2\"/>\
             <text x=\"{cx:.1}\" y=\"{:.1}\" class=\"pin\">{}</text>",
            cy + 5.0,
            p.n
        ));
    }
    // The legend of the place searched from.
    if let (Some(_), Some(name)) = (origin, origin_name) {
        let w = 30.0 + 7.0 * name.chars().count() as f64;
        out.push_str(&format!(
            "<rect x=\"4\" y=\"4\" width=\"{w:.0}\" height=\"20\" fill=\"#fff\" stroke=\"#000\"/>\
             <path d=\"M9 12h5v-5h5v5h5v5h-5v5h-5v-5h-5z\" fill=\"#d55e00\" stroke=\"#000\"/>\
             <text x=\"28\" y=\"19\" class=\"legend\">{}</text>",
            escape(name)
        ));
    }
    // The scale bar.
    let km = nice_km(W / 4.0 * view.km_per_unit());
    let len = km / view.km_per_unit();
    let label = if km < 1.0 {
        format!("{:.0} m", km * 1000.0)
    } else {
        format!("{km} km")
    };
    out.push_str(&format!(
        "<path d=\"M10 {y0}v6h{len:.0}v-6\" fill=\"none\" stroke=\"#000\" stroke-width=\"2\"/><text x=\"{:.0}\" y=\"{ty}\" class=\"scale\">{label}</text></svg>",
        14.0 + len,
        y0 = H - 16.0,
        ty = H - 9.0,
    ));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_in_one_spot_are_pushed_apart_and_every_number_is_drawn() {
        let off = declutter(&[(100.0, 100.0); 4]);
        for i in 0..4 {
            for j in i + 1..4 {
                let d = (off[i].0 - off[j].0).hypot(off[i].1 - off[j].1);
                assert!(d >= 2.0 * R, "{i} and {j} overlap: {d}");
            }
        }
        assert_eq!(nice_km(3.4), 2.0);
        assert_eq!(nice_km(0.7), 0.5);
        assert_eq!(nice_km(12.0), 10.0);
    }

    #[test]
    fn the_view_keeps_every_point_inside() {
        let pts = [(-7.9, 38.57), (-7.6, 38.6), (-7.91, 38.4)];
        let v = View::around(&pts, 3.0).unwrap();
        for (lon, lat) in pts {
            let (x, y) = v.xy(lon, lat);
            assert!(
                (R..=W - R).contains(&x) && (R..=H - R - 20.0).contains(&y),
                "{x},{y}: inside, off the edges and the scale bar"
            );
        }
        // One point: at least 3 km across, in the middle of the inner box.
        let v = View::around(&[(-7.9, 38.57)], 3.0).unwrap();
        assert!(W * v.km_per_unit() >= 3.0 - 1e-9);
        let (x, _) = v.xy(-7.9, 38.57);
        assert!((x - W / 2.0).abs() < 1e-6);
    }
}
