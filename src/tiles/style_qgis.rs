//! The styles for QGIS: the same map with colours QGIS's style converter understands.
//!
//! QGIS (3.22, as Debian ships it) skips a colour given as a `step` over a feature's property
//! (and a `case` around it), so the coverage and gap maps came out in one colour. This variant
//! splits such a layer into one layer per band, each with a filter on the property and its
//! colour as a constant; other steps over the same property in the layer (a stroke colour)
//! take the band's value. The page keeps the original styles.
use serde_json::{json, Value};

/// Rewrites every layer whose colour is a step over a property (see the module's doc).
///
/// ```
/// use serde_json::json;
/// let mut style = json!({"layers": [{"id": "fill", "type": "fill", "paint": {"fill-color":
///     ["step", ["to-number", ["get", "rate"]], "#111111", 8, "#222222"]}}]});
/// bussola::tiles::style_qgis::simplify(&mut style);
/// let layers = style["layers"].as_array().unwrap();
/// assert_eq!(layers.len(), 2);
/// assert_eq!(layers[1]["paint"]["fill-color"], "#222222");
/// assert_eq!(layers[1]["filter"], json!(["all", ["has", "rate"], [">=", "rate", 8.0]]));
/// ```
pub fn simplify(style: &mut Value) {
    let Some(layers) = style.get_mut("layers").and_then(Value::as_array_mut) else {
        return;
    };
    let mut out = Vec::with_capacity(layers.len());
    for layer in layers.drain(..) {
        out.extend(split(&layer).unwrap_or_else(|| vec![layer]));
    }
    *layers = out;
}

/// A colour by bands of a property: the property, the colour where it is missing, the
/// thresholds and the colours (one more than thresholds).
struct Bands {
    property: String,
    missing: Option<Value>,
    thresholds: Vec<f64>,
    colours: Vec<Value>,
}

const COLOUR_KEYS: [&str; 3] = ["fill-color", "circle-color", "line-color"];

fn split(layer: &Value) -> Option<Vec<Value>> {
    let paint = layer.get("paint")?.as_object()?;
    let (key, bands) = COLOUR_KEYS
        .iter()
        .find_map(|k| Some((*k, bands_of(paint.get(*k)?)?)))?;
    let id = layer.get("id")?.as_str()?;
    let p = bands.property.as_str();
    let mut layers = Vec::new();
    let make = |suffix: String, filter: Vec<Value>, colour: &Value, at: Option<f64>| {
        let mut l = layer.clone();
        l["id"] = json!(format!("{id}-{suffix}"));
        let mut all = vec![json!("all")];
        all.extend(layer.get("filter").cloned());
        all.extend(filter);
        l["filter"] = Value::Array(all);
        if let Some(paint) = l.get_mut("paint").and_then(Value::as_object_mut) {
            paint.insert(key.into(), colour.clone());
            // Other steps over the same property (a stroke colour) take this band's value.
            for v in paint.values_mut() {
                if let Some(b) = bands_of(v).filter(|b| b.property == p) {
                    *v = at.map_or_else(
                        || b.missing.clone().unwrap_or_else(|| b.colours[0].clone()),
                        |x| b.at(x),
                    );
                }
            }
        }
        l
    };
    if let Some(missing) = &bands.missing {
        layers.push(make("none".into(), vec![json!(["!has", p])], missing, None));
    }
    for (i, colour) in bands.colours.iter().enumerate() {
        let mut f = vec![json!(["has", p])];
        let low = i
            .checked_sub(1)
            .and_then(|j| bands.thresholds.get(j))
            .copied();
        if let Some(lo) = low {
            f.push(json!([">=", p, lo]));
        }
        if let Some(hi) = bands.thresholds.get(i) {
            f.push(json!(["<", p, hi]));
        }
        layers.push(make(
            i.to_string(),
            f,
            colour,
            Some(low.unwrap_or(f64::MIN)),
        ));
    }
    Some(layers)
}

impl Bands {
    /// The colour at value `x`.
    fn at(&self, x: f64) -> Value {
        let i = self.thresholds.iter().take_while(|t| x >= **t).count();
        self.colours[i].clone()
    }
}

/// The colour's bands, if it is one of the forms the maps use:
/// `["step", ["to-number", ["get", P]], C0, t1, C1, …]`, or that inside
/// `["case", ["!", ["has", P]], MISSING, STEP]`.
fn bands_of(v: &Value) -> Option<Bands> {
    let a = v.as_array()?;
    match a.first()?.as_str()? {
        "case" if a.len() == 4 => {
            let cond = a[1].as_array()?;
            let has = cond.get(1)?.as_array()?;
            let p = (cond.first()?.as_str()? == "!" && has.first()?.as_str()? == "has")
                .then(|| has.get(1)?.as_str())??;
            let mut b = bands_of(&a[3])?;
            (b.property == p).then_some(())?;
            b.missing = Some(a[2].clone());
            Some(b)
        }
        "step" if a.len() >= 3 && a.len() % 2 == 1 => {
            let input = a[1].as_array()?;
            let get = match input.first()?.as_str()? {
                "to-number" => input.get(1)?.as_array()?,
                "get" => input,
                _ => return None,
            };
            (get.first()?.as_str()? == "get").then_some(())?;
            let property = get.get(1)?.as_str()?.to_string();
            let mut colours = vec![a[2].clone()];
            let mut thresholds = Vec::new();
            for pair in a[3..].chunks(2) {
                thresholds.push(pair[0].as_f64()?);
                colours.push(pair[1].clone());
            }
            Some(Bands {
                property,
                missing: None,
                thresholds,
                colours,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The coverage map's fill: grey where there is no rate, five bands otherwise.
    #[test]
    fn a_case_and_step_fill_becomes_a_layer_per_band() {
        let mut style = json!({"layers": [
            {"id": "background", "type": "background"},
            {"id": "coverage-fill", "type": "fill", "source-layer": "municipalities",
             "paint": {"fill-opacity": 0.9, "fill-color": ["case", ["!", ["has", "r"]], "#bdbdbd",
                ["step", ["to-number", ["get", "r"]], "#e66101", 8, "#fdb863", 12, "#54278f"]]}}
        ]});
        simplify(&mut style);
        let l = style["layers"].as_array().unwrap();
        let ids: Vec<&str> = l.iter().map(|x| x["id"].as_str().unwrap()).collect();
        assert_eq!(
            ids,
            [
                "background",
                "coverage-fill-none",
                "coverage-fill-0",
                "coverage-fill-1",
                "coverage-fill-2"
            ]
        );
        assert_eq!(l[1]["filter"], json!(["all", ["!has", "r"]]));
        assert_eq!(l[1]["paint"]["fill-color"], "#bdbdbd");
        assert_eq!(
            l[2]["filter"],
            json!(["all", ["has", "r"], ["<", "r", 8.0]])
        );
        assert_eq!(
            l[3]["filter"],
            json!(["all", ["has", "r"], [">=", "r", 8.0], ["<", "r", 12.0]])
        );
        assert_eq!(
            l[4]["filter"],
            json!(["all", ["has", "r"], [">=", "r", 12.0]])
        );
        assert_eq!(l[4]["paint"]["fill-color"], "#54278f");
        assert_eq!(l[4]["paint"]["fill-opacity"], 0.9);
    }

    /// The gap map's points: the stroke follows the same property with fewer thresholds.
    #[test]
    fn a_second_step_on_the_property_takes_the_bands_value() {
        let mut style = json!({"layers": [
            {"id": "p", "type": "circle", "filter": ["has", "km"], "paint": {
                "circle-color": ["step", ["to-number", ["get", "km"]], "#ffffff", 10, "#0072b2", 20, "#1a1a1a"],
                "circle-stroke-color": ["step", ["to-number", ["get", "km"]], "#4a4f55", 10, "#ffffff"]}}
        ]});
        simplify(&mut style);
        let l = style["layers"].as_array().unwrap();
        let strokes: Vec<&Value> = l
            .iter()
            .map(|x| &x["paint"]["circle-stroke-color"])
            .collect();
        assert_eq!(
            strokes,
            [&json!("#4a4f55"), &json!("#ffffff"), &json!("#ffffff")]
        );
        assert_eq!(
            l[0]["filter"],
            json!(["all", ["has", "km"], ["has", "km"], ["<", "km", 10.0]])
        );
    }

    #[test]
    fn other_layers_are_left_alone() {
        let before = json!({"layers": [{"id": "x", "type": "fill", "paint": {"fill-color":
            ["match", ["get", "g"], "a", "#000000", "#ffffff"]}}]});
        let mut after = before.clone();
        simplify(&mut after);
        assert_eq!(after, before);
    }
}
