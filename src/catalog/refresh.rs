//! Picking up writes made by another process on the same store (another replica, a CLI import
//! or restore while the server runs): the store's data version says when the index is out of
//! date, and a store that logs its writes says what changed, so only that is applied.
use super::Catalog;
use crate::index::{ServiceIndex, Touch};
use crate::store::Changed;
use crate::Result;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

impl Catalog {
    /// Brings the index up to the store if someone else wrote to it since this catalog last
    /// did: the services changed since, when the store can say which, or everything again;
    /// says whether anything changed.
    pub fn refresh(&self) -> Result<bool> {
        if self.store.version()? == self.data_version() {
            return Ok(false);
        }
        let (_turn, index) = self.writing()?;
        let since = self.data_version();
        if let Some(changed) = self.store.changed_since(since)? {
            if changed.version == since {
                return Ok(false);
            }
            let mut next = (*index).clone();
            let touched = apply(&mut next, &changed);
            self.publish_as(next, changed.version, Some(touched))?;
            return Ok(true);
        }
        // Read the version first: a write landing meanwhile makes the next check reload again.
        let version = self.store.version()?;
        if version == since {
            return Ok(false);
        }
        let index = super::load_index(&*self.store, version)?;
        self.publish_as(index, version, None)?;
        Ok(true)
    }

    /// After this catalog's own write (in the writer's turn): when the store moved more than
    /// that one write, another process wrote too, and what it changed is applied to `next` as
    /// well, so no write is skipped. The version `next` is as of, with what that touched.
    pub(super) fn catch_up(
        &self,
        next: &mut ServiceIndex,
        before: u64,
        version: u64,
    ) -> Result<(u64, Vec<Touch>)> {
        if version <= before + 1 {
            return Ok((version, Vec::new()));
        }
        match self.store.changed_since(before)? {
            Some(changed) => Ok((changed.version.max(version), apply(next, &changed))),
            None => Ok((version, Vec::new())),
        }
    }

    /// Publishes an index as of `version` with what it touched (`None`: anything).
    pub(super) fn publish_as(
        &self,
        index: ServiceIndex,
        version: u64,
        touched: Option<Vec<Touch>>,
    ) -> Result<()> {
        let mut index = index;
        index.set_version(version);
        self.touch(version, touched)?;
        self.index.store(Arc::new(index));
        self.version.store(version, Ordering::Release);
        Ok(())
    }
}

/// Applies what another process wrote to an index; what it touched.
fn apply(index: &mut ServiceIndex, changed: &Changed) -> Vec<Touch> {
    let mut touched: Vec<Touch> = changed.services.iter().map(|s| index.upsert(s)).collect();
    for id in &changed.removed {
        if let Some(before) = index.remove(id) {
            touched.push(Touch {
                before: Some(before),
                after: None,
            });
        }
    }
    touched
}

/// Keeps the catalog in step with the store until the program ends: whenever the store says
/// another process wrote ([`crate::store::Store::watch`]), and every `every` in any case (a
/// store that says nothing, or a notification lost).
pub async fn keep_fresh(catalog: Arc<Catalog>, every: Duration) {
    let heard = Arc::new(Notify::new());
    let wake = heard.clone();
    let watched = {
        let cat = catalog.clone();
        tokio::task::spawn_blocking(move || cat.store().watch(Box::new(move || wake.notify_one())))
            .await
    };
    match watched {
        Ok(Ok(true)) => tracing::info!("listening for writes by other processes"),
        Ok(Ok(false)) => {}
        Ok(Err(e)) => tracing::warn!("listening for writes by other processes: {e}"),
        Err(e) => tracing::warn!("listening for writes by other processes: {e}"),
    }
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = heard.notified() => {}
        }
        let cat = catalog.clone();
        match tokio::task::spawn_blocking(move || cat.refresh()).await {
            Ok(Ok(true)) => tracing::debug!(
                "the store changed outside this process: {} services now",
                catalog.len().unwrap_or(0)
            ),
            Ok(Ok(false)) => {}
            Ok(Err(e)) => tracing::warn!("checking the store for outside changes: {e}"),
            Err(e) => tracing::warn!("checking the store for outside changes: {e}"),
        }
    }
}
