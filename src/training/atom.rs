//! The Atom feed of training offers (`/feeds/training.atom`): every public offer, newest change
//! first, so other platforms follow new, changed and withdrawn offers. Times come from the
//! offers' history (when each went public, when it last changed).
use super::ics::place_words;
use super::query::public;
use crate::feed::{self, Entry, Feed};
use crate::model::training::{Offer, OfferStatus};
use crate::region::Region;
use crate::store::{Change, ChangeStatus};
use crate::Result;
use std::collections::HashMap;

/// How many offers the feed carries (the most recently changed).
pub const FEED_ITEMS: usize = 50;

/// When each offer went public and when it last changed (Unix seconds), from its applied
/// changes.
pub fn times(changes: &[Change]) -> HashMap<&str, (i64, i64)> {
    let mut out: HashMap<&str, (i64, i64)> = HashMap::new();
    for c in changes.iter().filter(|c| c.status == ChangeStatus::Applied) {
        let at = c.decided.unwrap_or(c.change.created);
        let e = out.entry(c.change.service_id.as_str()).or_insert((at, at));
        e.0 = e.0.min(at);
        e.1 = e.1.max(at);
    }
    out
}

fn summary(o: &Offer, region: &Region) -> String {
    let place = match o
        .municipality
        .as_deref()
        .and_then(|c| region.municipality(c))
    {
        Some(m) => format!("{} ({})", place_words(o), m.name),
        None => place_words(o),
    };
    let mut s = format!("{} · {} — {} · {place}", o.organiser.name, o.start, o.end);
    if o.status == OfferStatus::Withdrawn {
        s = format!("Retirada / Withdrawn · {s}");
    }
    s
}

/// The feed on `today` (`YYYY-MM-DD`): offers published and not yet ended, and those withdrawn
/// before their end (so followers learn of it); `seeded` stands for offers with no history and
/// no day of update, `profile` gives a CNQ code's title.
pub fn atom<'a>(
    offers: &[Offer],
    changes: &[Change],
    (today, seeded): (&str, i64),
    region: &Region,
    base: &str,
    profile: impl Fn(&str) -> Option<&'a str>,
) -> Result<String> {
    let times = times(changes);
    let mut listed: Vec<(&Offer, (i64, i64))> = offers
        .iter()
        .filter(|o| public(o, today) || (o.status == OfferStatus::Withdrawn && o.current_on(today)))
        .map(|o| {
            // Offers with no history (seeded): the day they were last updated.
            let day = o
                .updated
                .as_deref()
                .and_then(crate::quality::checks::days_from_iso);
            let t = day.map_or(seeded, |d| d * 86_400);
            (o, times.get(o.id.as_str()).copied().unwrap_or((t, t)))
        })
        .collect();
    listed.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then_with(|| a.0.id.cmp(&b.0.id)));
    listed.truncate(FEED_ITEMS);
    let updated = listed.iter().map(|(_, t)| t.1).max().unwrap_or(seeded);
    let entries = listed
        .iter()
        .map(|(o, (first, last))| {
            let mut categories: Vec<String> = o
                .profiles
                .iter()
                .map(|c| profile(c).unwrap_or(c).to_string())
                .collect();
            categories.extend(o.audience.iter().map(|a| a.as_str().to_string()));
            Entry {
                id: feed::tag_uri(
                    base,
                    &feed::rfc3339(*first)[..10],
                    &format!("training/{}", o.id),
                ),
                title: o.title.clone(),
                updated: feed::rfc3339(*last),
                published: Some(feed::rfc3339(*first)),
                summary: Some(summary(o, region)),
                content_html: None,
                link: Some(format!("{base}/training/{}", o.id)),
                categories,
            }
        })
        .collect();
    let self_link = format!("{base}/feeds/training.atom");
    feed::to_atom(&Feed {
        id: self_link.clone(),
        title: format!("Bússola — {}: formação", region.name),
        subtitle: Some(format!(
            "Ofertas de formação para quem trabalha na ação social ({})",
            region.name
        )),
        author: format!("Bússola — {}", region.name),
        updated: feed::rfc3339(updated),
        self_link,
        alternate_link: Some(format!("{base}/#professionals")),
        entries,
    })
}
