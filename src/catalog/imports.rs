//! Checked imports written into the catalog: the use case above `ingest`'s checks and planner.
use super::Catalog;
use crate::ingest::import::{plan, Checked, Outcome, SameService};

impl Checked {
    /// Writes what passed into the catalog (one transaction).
    pub fn import(self, catalog: &Catalog, same: SameService<'_>) -> crate::Result<Outcome> {
        self.apply(|services| catalog.import(services, same))
    }

    /// Plans the import without writing anything.
    pub fn dry_run(self, catalog: &Catalog, same: SameService<'_>) -> crate::Result<Outcome> {
        self.apply(|services| Ok(plan(&catalog.all()?, services, same)))
    }
}
