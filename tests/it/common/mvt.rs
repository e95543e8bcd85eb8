//! A small, independent Mapbox Vector Tile 2.1 decoder for the tests (prost + the spec's schema).
#![allow(dead_code)]
use serde_json::Value as Json;
use std::collections::HashMap;

#[derive(Clone, PartialEq, prost::Message)]
pub struct Tile {
    #[prost(message, repeated, tag = "3")]
    pub layers: Vec<Layer>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Value {
    #[prost(string, optional, tag = "1")]
    pub string_value: Option<String>,
    #[prost(float, optional, tag = "2")]
    pub float_value: Option<f32>,
    #[prost(double, optional, tag = "3")]
    pub double_value: Option<f64>,
    #[prost(int64, optional, tag = "4")]
    pub int_value: Option<i64>,
    #[prost(uint64, optional, tag = "5")]
    pub uint_value: Option<u64>,
    #[prost(sint64, optional, tag = "6")]
    pub sint_value: Option<i64>,
    #[prost(bool, optional, tag = "7")]
    pub bool_value: Option<bool>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Feature {
    #[prost(uint64, optional, tag = "1")]
    pub id: Option<u64>,
    #[prost(uint32, repeated, packed = "true", tag = "2")]
    pub tags: Vec<u32>,
    #[prost(int32, optional, tag = "3")]
    pub r#type: Option<i32>,
    #[prost(uint32, repeated, packed = "true", tag = "4")]
    pub geometry: Vec<u32>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Layer {
    #[prost(uint32, required, tag = "15")]
    pub version: u32,
    #[prost(string, required, tag = "1")]
    pub name: String,
    #[prost(message, repeated, tag = "2")]
    pub features: Vec<Feature>,
    #[prost(string, repeated, tag = "3")]
    pub keys: Vec<String>,
    #[prost(message, repeated, tag = "4")]
    pub values: Vec<Value>,
    #[prost(uint32, optional, tag = "5")]
    pub extent: Option<u32>,
}

/// A decoded feature: its type (1 point, 2 line, 3 polygon), properties and parts (for points,
/// one part per point; for polygons, one part per ring, closing point not repeated).
#[derive(Debug, Clone)]
pub struct Decoded {
    pub kind: i32,
    pub props: HashMap<String, Json>,
    pub parts: Vec<Vec<(i32, i32)>>,
}

fn zigzag(n: u32) -> i32 {
    ((n >> 1) as i32) ^ -((n & 1) as i32)
}

fn value(v: &Value) -> Json {
    if let Some(s) = &v.string_value {
        Json::from(s.clone())
    } else if let Some(f) = v.float_value {
        Json::from(f64::from(f))
    } else if let Some(d) = v.double_value {
        Json::from(d)
    } else if let Some(i) = v.int_value.or(v.sint_value) {
        Json::from(i)
    } else if let Some(u) = v.uint_value {
        Json::from(u)
    } else if let Some(b) = v.bool_value {
        Json::from(b)
    } else {
        Json::Null
    }
}

fn geometry(cmds: &[u32]) -> Vec<Vec<(i32, i32)>> {
    let (mut x, mut y) = (0i32, 0i32);
    let mut parts: Vec<Vec<(i32, i32)>> = Vec::new();
    let mut i = 0;
    while i < cmds.len() {
        let (id, count) = (cmds[i] & 7, cmds[i] >> 3);
        i += 1;
        match id {
            1 | 2 => {
                for _ in 0..count {
                    x += zigzag(cmds[i]);
                    y += zigzag(cmds[i + 1]);
                    i += 2;
                    if id == 1 {
                        parts.push(Vec::new());
                    }
                    parts.last_mut().expect("MoveTo first").push((x, y));
                }
            }
            7 => {}
            other => panic!("unknown command {other}"),
        }
    }
    parts
}

/// Decodes a tile into layers of features.
pub fn decode(bytes: &[u8]) -> HashMap<String, Vec<Decoded>> {
    use prost::Message;
    let tile = Tile::decode(bytes).expect("a valid vector tile");
    let mut out = HashMap::new();
    for layer in tile.layers {
        assert_eq!(layer.version, 2, "MVT version 2");
        assert_eq!(layer.extent, Some(4096));
        let feats = layer
            .features
            .iter()
            .map(|f| {
                let props = f
                    .tags
                    .chunks(2)
                    .map(|kv| {
                        (
                            layer.keys[kv[0] as usize].clone(),
                            value(&layer.values[kv[1] as usize]),
                        )
                    })
                    .collect();
                Decoded {
                    kind: f.r#type.unwrap_or(0),
                    props,
                    parts: geometry(&f.geometry),
                }
            })
            .collect();
        out.insert(layer.name.clone(), feats);
    }
    out
}

/// Twice the signed area of a ring (positive = clockwise with y down, an MVT exterior ring).
pub fn area2(ring: &[(i32, i32)]) -> i64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            i64::from(a.0) * i64::from(b.1) - i64::from(b.0) * i64::from(a.1)
        })
        .sum()
}
