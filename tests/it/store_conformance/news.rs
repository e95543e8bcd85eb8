//! News items: numbered, ordered by date then number, filtered by municipality (with the
//! region's), changed and deleted once, and kept by a backup.
use super::Open;
use bussola::store::NewsDraft;
use std::path::Path;

fn draft(title: &str, date: &str, municipality: Option<&str>) -> NewsDraft {
    NewsDraft {
        title: title.into(),
        text: format!("**{title}**"),
        date: date.into(),
        municipality: municipality.map(String::from),
        link: Some("https://example.org/x".into()),
        demo: false,
    }
}

pub fn news_comes_back_ordered_filtered_and_changed(open: &Open, dir: &Path) {
    let store = open(dir);
    assert_eq!(store.news_count().unwrap(), 0);
    let a = store
        .add_news(&draft("a", "2026-12-01", None), None, 100)
        .unwrap();
    let b = store
        .add_news(&draft("b", "2026-12-03", Some("0705")), None, 101)
        .unwrap();
    let c = store
        .add_news(&draft("c", "2026-12-01", Some("0701")), None, 102)
        .unwrap();
    assert_eq!(store.news_count().unwrap(), 3);
    let titles = |m: Option<&str>, limit| -> Vec<String> {
        store
            .news(m, limit)
            .unwrap()
            .into_iter()
            .map(|i| i.draft.title)
            .collect()
    };
    assert_eq!(
        titles(None, 10),
        ["b", "c", "a"],
        "date, then the higher number"
    );
    assert_eq!(
        titles(Some("0705"), 10),
        ["b", "a"],
        "its own and the region's"
    );
    assert_eq!(titles(None, 1), ["b"]);
    assert_eq!(store.news_item(a.id).unwrap().unwrap(), a);
    assert_eq!(a.author, None);

    let mut changed = c.draft.clone();
    changed.title = "c2".into();
    changed.municipality = None;
    let after = store.update_news(c.id, &changed, 200).unwrap().unwrap();
    assert_eq!((after.created, after.updated), (102, 200));
    assert_eq!(after.draft, changed);
    assert!(store.update_news(999, &changed, 200).unwrap().is_none());

    assert!(store.delete_news(b.id).unwrap());
    assert!(!store.delete_news(b.id).unwrap(), "once");
    assert!(store.news_item(b.id).unwrap().is_none());

    // A backup keeps the news; a restore brings back what was deleted since.
    let copy = dir.join("backup");
    store.backup(&copy).unwrap();
    store.delete_news(a.id).unwrap();
    store.restore(&copy).unwrap();
    assert_eq!(titles(None, 10), ["c2", "a"]);
}
