//! Picking up writes made by another process on the same store (a CLI import or restore while
//! the server runs): the store's data version says when the index is out of date.
use super::Catalog;
use crate::Result;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

impl Catalog {
    /// Rebuilds the index from the store if someone else wrote to it since this catalog last
    /// did; says whether it did.
    pub fn refresh(&self) -> Result<bool> {
        if self.store.version()? == self.data_version() {
            return Ok(false);
        }
        let (_turn, _) = self.writing()?;
        // Read the version first: a write landing meanwhile makes the next check reload again.
        let version = self.store.version()?;
        if version == self.data_version() {
            return Ok(false);
        }
        let index = super::load_index(&*self.store, version)?;
        self.touch(version, None)?;
        self.index.store(Arc::new(index));
        self.version.store(version, Ordering::Release);
        Ok(true)
    }
}

/// Checks the store every `every` and rebuilds the index when another process wrote to it
/// (runs until the program ends).
pub async fn keep_fresh(catalog: Arc<Catalog>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let cat = catalog.clone();
        match tokio::task::spawn_blocking(move || cat.refresh()).await {
            Ok(Ok(true)) => tracing::info!(
                "the store changed outside this server: {} services now",
                catalog.len().unwrap_or(0)
            ),
            Ok(Ok(false)) => {}
            Ok(Err(e)) => tracing::warn!("checking the store for outside changes: {e}"),
            Err(e) => tracing::warn!("checking the store for outside changes: {e}"),
        }
    }
}
