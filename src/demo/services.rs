//! Invented services for the demo region, spread plausibly over the municipalities.
use super::{Rng, SeatRow};
use geo::Contains;
use geo_types::{LineString, MultiPolygon, Point, Polygon};
use serde_json::json;

/// How many of a response a municipality gets, and how big each is.
struct Plan {
    code: &'static str,
    short: &'static str,
    hours: &'static str,
    count: fn(&SeatRow, bool, &mut Rng) -> u32,
    capacity: (u32, u32),
}

fn per(n: u64, every: u64) -> u32 {
    u32::try_from((n + every / 2) / every).unwrap_or(u32::MAX)
}

/// The largest town of each NUTS3 (most people aged 65+) gets the most and the largest
/// services, as a district capital would.
fn largest_per_nuts3(rows: &[SeatRow]) -> Vec<bool> {
    rows.iter()
        .map(|r| {
            !rows
                .iter()
                .any(|o| o.nuts3 == r.nuts3 && o.idade_65_mais > r.idade_65_mais)
        })
        .collect()
}

const PLANS: &[Plan] = &[
    Plan {
        code: "ERPI",
        short: "Lar",
        hours: "24 horas, todos os dias",
        count: |r, _, _| per(r.idade_65_mais, 700).max(1),
        capacity: (20, 80),
    },
    Plan {
        code: "CENTRO_DIA",
        short: "Centro de Dia",
        hours: "Seg-Sex 08:00-18:00",
        count: |r, _, _| per(r.idade_65_mais, 900).max(1),
        capacity: (15, 40),
    },
    Plan {
        code: "SAD_IDOSOS",
        short: "Apoio Domiciliário",
        hours: "Todos os dias 08:00-20:00",
        count: |r, _, _| per(r.idade_65_mais, 800).max(1),
        capacity: (20, 60),
    },
    Plan {
        code: "CENTRO_CONVIVIO",
        short: "Centro de Convívio",
        hours: "Seg-Sáb 14:00-19:00",
        count: |r, _, g| per(r.idade_65_mais, 1500) + g.range(0, 1),
        capacity: (20, 50),
    },
    Plan {
        code: "CENTRO_NOITE",
        short: "Centro de Noite",
        hours: "Todos os dias 19:00-09:00",
        count: |_, big, g| u32::from(big) + u32::from(g.unit() < 0.15),
        capacity: (6, 15),
    },
    Plan {
        code: "ACOLHIMENTO_FAMILIAR_IDOSOS",
        short: "Acolhimento Familiar",
        hours: "24 horas",
        count: |_, _, g| u32::from(g.unit() < 0.2),
        capacity: (1, 3),
    },
    Plan {
        code: "CRECHE",
        short: "Creche",
        hours: "Seg-Sex 07:30-19:00",
        count: |r, _, _| per(r.nados_vivos_2024, 25).max(1),
        capacity: (20, 66),
    },
    Plan {
        code: "AMA",
        short: "Ama",
        hours: "Seg-Sex 08:00-18:00",
        count: |_, _, g| g.range(0, 2),
        capacity: (3, 4),
    },
    Plan {
        code: "PRE_ESCOLAR",
        short: "Jardim de Infância",
        hours: "Seg-Sex 09:00-15:30",
        count: |r, _, _| per(r.idade_0_14, 600).max(1),
        capacity: (25, 75),
    },
    Plan {
        code: "CATL",
        short: "ATL",
        hours: "Seg-Sex 15:30-19:00",
        count: |r, _, _| per(r.idade_0_14, 900),
        capacity: (20, 60),
    },
    Plan {
        code: "CASA_ACOLHIMENTO",
        short: "Casa de Acolhimento",
        hours: "24 horas",
        count: |_, big, g| 2 * u32::from(big) + u32::from(g.unit() < 0.15),
        capacity: (8, 20),
    },
    Plan {
        code: "CAFAP",
        short: "CAFAP",
        hours: "Seg-Sex 09:00-17:30",
        count: |_, big, g| u32::from(big || g.unit() < 0.2),
        capacity: (20, 60),
    },
    Plan {
        code: "INTERVENCAO_PRECOCE",
        short: "Intervenção Precoce",
        hours: "Seg-Sex 09:00-17:30",
        count: |_, big, g| u32::from(big || g.unit() < 0.35),
        capacity: (20, 80),
    },
    Plan {
        code: "CACI",
        short: "CACI",
        hours: "Seg-Sex 09:00-17:00",
        count: |_, big, g| 2 * u32::from(big) + u32::from(g.unit() < 0.4),
        capacity: (15, 40),
    },
    Plan {
        code: "LAR_RESIDENCIAL",
        short: "Lar Residencial",
        hours: "24 horas",
        count: |_, big, g| u32::from(big) + u32::from(g.unit() < 0.25),
        capacity: (8, 24),
    },
    Plan {
        code: "CAARPD",
        short: "Centro de Reabilitação",
        hours: "Seg-Sex 09:00-17:30",
        count: |_, big, g| u32::from(big || g.unit() < 0.1),
        capacity: (20, 50),
    },
    Plan {
        code: "SAD_DEFICIENCIA",
        short: "Apoio Domiciliário (deficiência)",
        hours: "Seg-Sex 08:00-20:00",
        count: |_, _, g| u32::from(g.unit() < 0.3),
        capacity: (5, 15),
    },
    Plan {
        code: "TRANSPORTE_DEFICIENCIA",
        short: "Transporte Adaptado",
        hours: "Seg-Sex 08:00-18:00",
        count: |_, big, _| u32::from(big),
        capacity: (8, 16),
    },
    Plan {
        code: "ATENDIMENTO_SOCIAL",
        short: "Atendimento Social",
        hours: "Seg-Sex 09:00-12:30, 14:00-17:30",
        count: |_, big, _| 1 + u32::from(big),
        capacity: (50, 200),
    },
    Plan {
        code: "CENTRO_COMUNITARIO",
        short: "Centro Comunitário",
        hours: "Seg-Sex 09:00-19:00",
        count: |_, big, g| 2 * u32::from(big) + u32::from(g.unit() < 0.3),
        capacity: (30, 120),
    },
    Plan {
        code: "CANTINA_SOCIAL",
        short: "Cantina Social",
        hours: "Todos os dias 12:00-14:00",
        count: |_, big, g| u32::from(big) + u32::from(g.unit() < 0.4),
        capacity: (20, 80),
    },
    Plan {
        code: "CENTRO_ALOJAMENTO_TEMPORARIO",
        short: "Alojamento Temporário",
        hours: "24 horas",
        count: |_, big, _| u32::from(big),
        capacity: (10, 25),
    },
    Plan {
        code: "AJUDA_ALIMENTAR",
        short: "Ajuda Alimentar",
        hours: "Ter e Qui 10:00-13:00",
        count: |_, big, g| u32::from(big || g.unit() < 0.5),
        capacity: (30, 150),
    },
    Plan {
        code: "APOIO_VITIMAS",
        short: "Apoio à Vítima",
        hours: "Seg-Sex 09:00-18:00",
        count: |_, big, _| u32::from(big),
        capacity: (10, 30),
    },
];

const PROVIDERS: &[(&str, &str)] = &[
    ("ipss", "Associação Exemplo de Apoio Social de"),
    ("misericordia", "Misericórdia Exemplo de"),
    ("ipss", "Centro Social Exemplo de"),
    ("public", "Serviço Municipal Exemplo de"),
    ("private_for_profit", "Cuidados Exemplo, Lda. —"),
    ("cooperative", "Cooperativa Exemplo de"),
    ("mutual_association", "Associação Mutualista Exemplo de"),
];

/// Invented services as GeoJSON text; `rings` are the municipalities' boundaries (lon/lat).
pub fn generate_services(rows: &[SeatRow], rings: &[Vec<(f64, f64)>]) -> String {
    let areas: Vec<MultiPolygon<f64>> = rings
        .iter()
        .map(|ring| MultiPolygon(vec![Polygon::new(LineString::from(ring.clone()), vec![])]))
        .collect();
    super::to_feature_collection(
        invent_services(rows, &areas, &|_| true),
        "Bússola demonstration services: invented, not real services",
    )
}

/// Invented services (GeoJSON features, every one `demo: true`) for the responses `keep`
/// accepts; `areas` are the municipalities' boundaries, in the order of `rows`.
pub fn invent_services(
    rows: &[SeatRow],
    areas: &[MultiPolygon<f64>],
    keep: &dyn Fn(&str) -> bool,
) -> Vec<serde_json::Value> {
    let mut rng = Rng::new(2021);
    let mut features = Vec::new();
    let mut n = 0u32;
    let largest = largest_per_nuts3(rows);
    for ((k, row), &big) in rows.iter().enumerate().zip(&largest) {
        for plan in PLANS.iter().filter(|p| keep(p.code)) {
            let count = (plan.count)(row, big, &mut rng);
            for i in 0..count {
                n += 1;
                let (lon, lat) = place(row, areas, k, &mut rng, i);
                let scale = if big { 1.3 } else { 1.0 };
                let capacity =
                    (f64::from(rng.range(plan.capacity.0, plan.capacity.1)) * scale).round() as u32;
                let users = capacity.saturating_sub(rng.range(0, 3.min(capacity)));
                let (nature, pname) = PROVIDERS[(rng.next_u64() % PROVIDERS.len() as u64) as usize];
                let letter = char::from(b'A' + u8::try_from(i % 26).unwrap_or(0));
                let id = format!(
                    "demo-{}-{}-{}",
                    row.dico,
                    plan.code.to_ascii_lowercase().replace('_', "-"),
                    i + 1
                );
                let name = if count > 1 {
                    format!("{} Exemplo {} de {}", plan.short, letter, row.sede)
                } else {
                    format!("{} Exemplo de {}", plan.short, row.sede)
                };
                features.push(json!({
                    "type": "Feature",
                    "properties": {
                        "id": id,
                        "name": name,
                        "type": plan.code,
                        "provider": format!("{pname} {}", row.sede),
                        "provider_nature": nature,
                        "capacity": capacity,
                        "users": users,
                        "vacancies": capacity - users,
                        "opening_hours": plan.hours,
                        "phone": format!("+351 200 {:03} {:03}", n / 1000, n % 1000),
                        "email": format!("demo{n}@example.org"),
                        "website": format!("https://example.org/bussola-demo/{id}"),
                        "address": format!("Morada de exemplo {}, {}", n, row.sede),
                        "locality": row.sede,
                        "municipality": row.dico,
                        "precision": "locality",
                        "updated": "2026-01-15",
                        "demo": true
                    },
                    "geometry": {"type": "Point", "coordinates": [lon, lat]}
                }));
            }
        }
    }
    features
}

/// Most services sit in the seat's town, some in the villages around: a point inside the
/// municipality's own area and no neighbour's (simplified boundaries may overlap a little).
fn place(
    row: &SeatRow,
    areas: &[MultiPolygon<f64>],
    k: usize,
    rng: &mut Rng,
    i: u32,
) -> (f64, f64) {
    let only_in_own = |p: &Point<f64>| {
        areas
            .iter()
            .enumerate()
            .all(|(j, a)| (j == k) == a.contains(p))
    };
    let spread_km = if i % 3 == 2 { 12.0 } else { 1.5 };
    for _ in 0..100 {
        let r = spread_km * rng.unit().sqrt();
        let a = rng.unit() * std::f64::consts::TAU;
        let lat = row.sede_lat + r * a.sin() / 111.2;
        let lon = row.sede_lon + r * a.cos() / (111.2 * row.sede_lat.to_radians().cos());
        let (lon, lat) = ((lon * 1e5).round() / 1e5, (lat * 1e5).round() / 1e5);
        if only_in_own(&Point::new(lon, lat)) {
            return (lon, lat);
        }
    }
    (row.sede_lon, row.sede_lat)
}
