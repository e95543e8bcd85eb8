//! Which training offers a public list shows, and in what order: published, not yet ended,
//! open (places left) unless asked otherwise, matching the filters; nearest first from a point.
use crate::model::training::{Audience, Offer, OfferStatus};

/// What a list asks for.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only offers for this profile (CNQ code).
    pub profile: Option<String>,
    /// Only offers for this audience.
    pub audience: Option<Audience>,
    /// Only offers in this municipality (DICO).
    pub municipality: Option<String>,
    /// Only offers running on this day or later (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Only offers starting on this day or earlier (`YYYY-MM-DD`).
    pub to: Option<String>,
    /// Nearest first from here (`[lon, lat]`), with distances; online offers last.
    pub near: Option<[f64; 2]>,
    /// Also offers with no places left.
    pub full_too: bool,
}

/// An offer in a list, with its distance from the point asked about.
#[derive(Debug, Clone)]
pub struct Listed {
    /// The offer.
    pub offer: Offer,
    /// Metres from `near` (none without `near`, or online).
    pub distance_m: Option<f64>,
}

/// Whether the public sees an offer on `today` (`YYYY-MM-DD`): published and not yet ended.
pub fn public(o: &Offer, today: &str) -> bool {
    o.status == OfferStatus::Published && o.current_on(today)
}

/// The offers a public list shows on `today`, in order: by distance with `near` (online last),
/// else by first day; ties by title, then id.
///
/// ```
/// use bussola::model::training::{Offer, OfferStatus};
/// use bussola::training::query::{select, Filter};
/// let offer = |id: &str, start: &str, end: &str| Offer {
///     id: id.into(), start: start.into(), end: end.into(),
///     status: OfferStatus::Published, ..Offer::default()
/// };
/// let all = vec![offer("b", "2027-03-01", "2027-03-05"), offer("a", "2027-01-10", "2027-01-12"),
///                offer("old", "2026-01-01", "2026-01-02")];
/// let ids: Vec<_> = select(&all, &Filter::default(), "2026-12-07")
///     .into_iter().map(|l| l.offer.id).collect();
/// assert_eq!(ids, ["a", "b"]);
/// ```
pub fn select(offers: &[Offer], f: &Filter, today: &str) -> Vec<Listed> {
    let mut out: Vec<Listed> = offers
        .iter()
        .filter(|o| public(o, today) && matches(o, f))
        .map(|o| Listed {
            distance_m: f
                .near
                .zip(o.position)
                .map(|(a, b)| crate::distance::geodesic_m((a[0], a[1]), (b[0], b[1]))),
            offer: o.clone(),
        })
        .collect();
    out.sort_by(|a, b| {
        let by_distance = match (a.distance_m, b.distance_m) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        };
        by_distance
            .then_with(|| a.offer.start.cmp(&b.offer.start))
            .then_with(|| a.offer.title.cmp(&b.offer.title))
            .then_with(|| a.offer.id.cmp(&b.offer.id))
    });
    out
}

fn matches(o: &Offer, f: &Filter) -> bool {
    (f.full_too || o.has_places())
        && f.profile.as_ref().is_none_or(|p| o.profiles.contains(p))
        && f.audience.is_none_or(|a| o.audience.contains(&a))
        && f.municipality
            .as_ref()
            .is_none_or(|m| o.municipality.as_ref() == Some(m))
        && f.from.as_ref().is_none_or(|d| o.end >= *d)
        && f.to.as_ref().is_none_or(|d| o.start <= *d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::training::Modality;

    fn offer(id: &str, at: Option<[f64; 2]>) -> Offer {
        Offer {
            id: id.into(),
            title: id.into(),
            start: "2027-01-01".into(),
            end: "2027-01-31".into(),
            position: at,
            modality: if at.is_some() {
                Modality::InPerson
            } else {
                Modality::Online
            },
            status: OfferStatus::Published,
            ..Offer::default()
        }
    }

    #[test]
    fn nearest_first_and_online_last() {
        let all = [
            offer("online", None),
            offer("beja", Some([-7.86, 38.01])),
            offer("evora", Some([-7.91, 38.57])),
        ];
        let f = Filter {
            near: Some([-7.9, 38.56]),
            ..Filter::default()
        };
        let got = select(&all, &f, "2026-12-07");
        let ids: Vec<&str> = got.iter().map(|l| l.offer.id.as_str()).collect();
        assert_eq!(ids, ["evora", "beja", "online"]);
        assert!(got[0].distance_m.unwrap() < 2_000.0);
        assert!(got[2].distance_m.is_none());
    }

    #[test]
    fn full_pending_and_ended_offers_are_left_out_unless_asked() {
        let mut full = offer("full", None);
        full.places = Some(10);
        full.places_left = Some(0);
        let mut pending = offer("pending", None);
        pending.status = OfferStatus::Pending;
        let all = [full, pending, offer("open", None)];
        let ids = |f: &Filter, today: &str| -> Vec<String> {
            select(&all, f, today)
                .into_iter()
                .map(|l| l.offer.id)
                .collect()
        };
        assert_eq!(ids(&Filter::default(), "2026-12-07"), ["open"]);
        let full_too = Filter {
            full_too: true,
            ..Filter::default()
        };
        assert_eq!(ids(&full_too, "2026-12-07"), ["full", "open"]);
        assert!(
            ids(&full_too, "2027-02-01").is_empty(),
            "ended the day before"
        );
    }

    #[test]
    fn dates_keep_offers_that_overlap_the_range() {
        let all = [offer("jan", None)];
        let range = |from: &str, to: &str| Filter {
            from: Some(from.into()),
            to: Some(to.into()),
            ..Filter::default()
        };
        assert_eq!(
            select(&all, &range("2027-01-31", "2027-02-10"), "2026-12-07").len(),
            1
        );
        assert_eq!(
            select(&all, &range("2027-02-01", "2027-02-10"), "2026-12-07").len(),
            0
        );
        assert_eq!(
            select(&all, &range("2026-12-01", "2026-12-31"), "2026-12-07").len(),
            0
        );
    }
}
