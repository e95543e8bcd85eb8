//! Every service a filter matches, in the listing's order: [`Catalog::list`] pages it, and the
//! OGC API – Features ([`crate::ogc`]) pages it its own way.
use super::{words, Catalog, Filter};
use crate::model::{Brief, Facts};
use crate::text::fold;
use crate::Result;
use std::sync::Arc;

impl Catalog {
    /// Every service matching `f` (checked as [`Catalog::list`] checks it), ordered by name
    /// then id, as published now.
    pub fn matching(&self, f: &Filter) -> Result<Vec<Arc<Brief>>> {
        self.check_filter(f)?;
        let keep = self.matcher(f);
        let index = self.read()?;
        let kept: Vec<Arc<Brief>> = match f.bbox {
            Some([a, b, c, d]) => index
                .in_bbox(a, b, c, d)
                .filter(|s| keep(s))
                .cloned()
                .collect(),
            None => index.iter_shared().filter(|s| keep(s)).cloned().collect(),
        };
        let words = words(f);
        let kept = if words.is_empty() {
            kept
        } else {
            self.with_words(kept.into_iter().map(|s| (s, ())), &words, None)?
                .into_iter()
                .map(|(s, ())| s)
                .collect()
        };
        let mut all: Vec<(String, Arc<Brief>)> =
            kept.into_iter().map(|s| (fold(s.name()), s)).collect();
        all.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id().cmp(b.1.id())));
        Ok(all.into_iter().map(|(_, s)| s).collect())
    }
}
