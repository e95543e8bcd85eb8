//! Demonstration training offers: invented, marked `demo`, placed at the seats of a region's
//! municipalities and dated from the day they are made, so that the section shows something on
//! a fresh start. Never a real course: the organiser says so and enrolment goes to
//! `example.org`.
use crate::model::training::{Audience, Enrol, Modality, Offer, OfferStatus, Organiser};
use crate::model::Municipality;

/// `YYYY-MM-DD` of a day counted from 1970-01-01.
fn iso_from_days(days: i64) -> String {
    chrono::DateTime::from_timestamp(days.saturating_mul(86_400), 0)
        .map(|t| t.date_naive().format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

struct Sketch {
    title: &'static str,
    description: &'static str,
    profiles: &'static [&'static str],
    audience: &'static [Audience],
    modality: Modality,
    /// Days from today to the first day, and how many days it runs.
    starts_in: i64,
    days: i64,
    hours: f64,
    cost_eur: f64,
    funding: Option<&'static str>,
    places: u32,
    places_left: u32,
}

const SKETCHES: &[Sketch] = &[
    Sketch {
        title: "Cuidar de pessoas idosas: higiene, conforto e segurança (demonstração)",
        description: "Curso inventado para mostrar o Bússola: práticas de cuidado diário em lar, centro de dia e apoio domiciliário.",
        profiles: &["762191", "762335"],
        audience: &[Audience::Workers],
        modality: Modality::InPerson,
        starts_in: 21,
        days: 30,
        hours: 50.0,
        cost_eur: 0.0,
        funding: Some("Exemplo: formação financiada (demonstração)"),
        places: 20,
        places_left: 8,
    },
    Sketch {
        title: "Gestão e finanças de respostas sociais (demonstração)",
        description: "Curso inventado: orçamento, acordos de cooperação e indicadores para direções técnicas.",
        profiles: &[],
        audience: &[Audience::Managers],
        modality: Modality::Mixed,
        starts_in: 35,
        days: 60,
        hours: 40.0,
        cost_eur: 0.0,
        funding: Some("Exemplo: Valorizar Social (demonstração)"),
        places: 25,
        places_left: 12,
    },
    Sketch {
        title: "Liderança e inovação nas organizações sociais (demonstração)",
        description: "Curso inventado, à distância: liderar equipas e experimentar novas respostas.",
        profiles: &[],
        audience: &[Audience::Managers],
        modality: Modality::Online,
        starts_in: 14,
        days: 45,
        hours: 30.0,
        cost_eur: 0.0,
        funding: Some("Exemplo: Valorizar Social (demonstração)"),
        places: 40,
        places_left: 30,
    },
    Sketch {
        title: "Ação educativa em creche: o dia a dia com bebés (demonstração)",
        description: "Curso inventado: rotinas, brincadeira e relação com as famílias em creche.",
        profiles: &["761175", "761361"],
        audience: &[Audience::Workers],
        modality: Modality::InPerson,
        starts_in: 28,
        days: 20,
        hours: 25.0,
        cost_eur: 45.0,
        funding: None,
        places: 15,
        places_left: 6,
    },
    Sketch {
        title: "Animação sociocultural com pessoas idosas (demonstração)",
        description: "Curso inventado: atividades que dão sentido ao dia em centros de dia e lares.",
        profiles: &["762176"],
        audience: &[Audience::Workers, Audience::Volunteers],
        modality: Modality::InPerson,
        starts_in: 10,
        days: 15,
        hours: 20.0,
        cost_eur: 0.0,
        funding: None,
        places: 18,
        places_left: 4,
    },
    Sketch {
        title: "Apoio psicossocial a famílias em dificuldade (demonstração)",
        description: "Curso inventado: acolher, escutar e encaminhar famílias.",
        profiles: &["762374"],
        audience: &[Audience::Workers],
        modality: Modality::InPerson,
        starts_in: 42,
        days: 25,
        hours: 35.0,
        cost_eur: 0.0,
        funding: None,
        places: 20,
        places_left: 20,
    },
    Sketch {
        title: "Ser voluntário num lar: primeiros passos (demonstração)",
        description: "Curso inventado, curto, para quem quer ajudar.",
        profiles: &[],
        audience: &[Audience::Volunteers],
        modality: Modality::InPerson,
        starts_in: 7,
        days: 2,
        hours: 6.0,
        cost_eur: 0.0,
        funding: None,
        places: 30,
        places_left: 0,
    },
];

/// The demonstration offers for a region whose municipalities are `municipalities` (those with
/// a seat are used, in code order), made on day `today` (days since 1970-01-01).
///
/// ```
/// let m = bussola::demo::example_municipality();
/// let offers = bussola::demo::training::offers(&[m], 20_000);
/// assert!(offers.iter().all(|o| o.demo && o.title.contains("demonstração")));
/// ```
pub fn offers(municipalities: &[Municipality], today: i64) -> Vec<Offer> {
    let mut seats: Vec<&Municipality> =
        municipalities.iter().filter(|m| m.seat.is_some()).collect();
    seats.sort_by(|a, b| a.code.cmp(&b.code));
    if seats.is_empty() {
        return Vec::new();
    }
    SKETCHES
        .iter()
        .enumerate()
        .map(|(i, k)| {
            // Spread across the region: every seventh municipality, wrapping.
            let m = seats[(i * 7) % seats.len()];
            let placed = k.modality != Modality::Online;
            let seat = m.seat.as_ref().filter(|_| placed);
            Offer {
                id: format!("tr-demo-{}", i + 1),
                title: k.title.into(),
                description: Some(k.description.into()),
                organiser: Organiser {
                    name: "Entidade formadora de demonstração".into(),
                    provider_id: None,
                    trainer_id: Some("demo-formacao".into()),
                },
                profiles: k.profiles.iter().map(|p| p.to_string()).collect(),
                audience: k.audience.to_vec(),
                modality: k.modality,
                address: None,
                postal_code: None,
                locality: seat.map(|(name, _, _)| name.clone()),
                municipality: placed.then(|| m.code.clone()),
                position: seat.map(|(_, lon, lat)| [*lon, *lat]),
                start: iso_from_days(today + k.starts_in),
                end: iso_from_days(today + k.starts_in + k.days - 1),
                schedule: Some("Terças e quintas, 18h00–21h00".into()),
                hours: Some(k.hours),
                cost_eur: k.cost_eur,
                funding: k.funding.map(str::to_string),
                places: Some(k.places),
                places_left: Some(k.places_left),
                enrol: Enrol {
                    url: Some(format!("https://example.org/bussola-demo/curso-{}", i + 1)),
                    phone: None,
                    email: Some("formacao@example.org".into()),
                },
                language: "pt".into(),
                demo: true,
                status: OfferStatus::Published,
                updated: Some(iso_from_days(today)),
            }
        })
        .collect()
}
