//! An offer as schema.org `Course` JSON-LD, with one `CourseInstance` (dates, mode, place,
//! schedule) and an `Offer` (price), for its page: what search engines and course catalogues
//! read.
use crate::model::training::{Modality, Offer};
use serde_json::{json, Value};

fn mode(m: Modality) -> &'static str {
    match m {
        Modality::InPerson => "Onsite",
        Modality::Online => "Online",
        Modality::Mixed => "Blended",
    }
}

/// The JSON-LD of an offer whose page is `page`; `profiles` gives a CNQ code's title.
///
/// ```
/// use bussola::model::training::Offer;
/// let o = Offer { id: "tr-1".into(), title: "Gestão".into(), ..Offer::default() };
/// let ld = bussola::training::jsonld::course(&o, "https://b.pt/training/tr-1", |_| None);
/// assert_eq!(ld["@type"], "Course");
/// assert_eq!(ld["hasCourseInstance"][0]["@type"], "CourseInstance");
/// ```
pub fn course<'a>(o: &Offer, page: &str, profiles: impl Fn(&str) -> Option<&'a str>) -> Value {
    let mut instance = json!({
        "@type": "CourseInstance",
        "courseMode": mode(o.modality),
        "startDate": o.start,
        "endDate": o.end,
        "inLanguage": o.language,
    });
    if o.modality != Modality::Online {
        let mut address = json!({"@type": "PostalAddress", "addressCountry": "PT"});
        for (k, v) in [
            ("streetAddress", &o.address),
            ("postalCode", &o.postal_code),
            ("addressLocality", &o.locality),
        ] {
            if let Some(v) = v {
                address[k] = json!(v);
            }
        }
        let mut place = json!({"@type": "Place", "address": address});
        if let Some([lon, lat]) = o.position {
            place["geo"] = json!({"@type": "GeoCoordinates", "latitude": lat, "longitude": lon});
        }
        instance["location"] = place;
    }
    if let Some(h) = o.hours {
        instance["courseWorkload"] = json!(format!("PT{h}H"));
    }
    if let Some(s) = &o.schedule {
        instance["courseSchedule"] = json!({"@type": "Schedule", "description": s});
    }
    let teaches: Vec<Value> = o
        .profiles
        .iter()
        .map(|code| json!(profiles(code).unwrap_or(code)))
        .collect();
    let mut offer = json!({
        "@type": "Offer",
        "category": if o.cost_eur == 0.0 { "Free" } else { "Paid" },
        "price": o.cost_eur,
        "priceCurrency": "EUR",
        "url": o.enrol.url.as_deref().unwrap_or(page),
    });
    if let Some(f) = &o.funding {
        offer["description"] = json!(f);
    }
    json!({
        "@context": "https://schema.org",
        "@type": "Course",
        "@id": page,
        "url": page,
        "name": o.title,
        "description": o.description.as_deref().unwrap_or(&o.title),
        "provider": {"@type": "Organization", "name": o.organiser.name},
        "inLanguage": o.language,
        "audience": o.audience.iter().map(|a| json!({"@type": "Audience", "audienceType": a.as_str()})).collect::<Vec<_>>(),
        "teaches": teaches,
        "offers": [offer],
        "hasCourseInstance": [instance],
    })
}
