//! The store conformance suite: what any [`Store`] backend must do, checked through the traits
//! only. A backend passes by adding one `conformance!` line with a [`Backend`]: a function that
//! opens a fresh, empty store in a scratch folder, whether it can run here, and what to clean
//! up; every check then runs as its own test
//! (`cargo test --test it store_conformance::sqlite_file::`, `…::postgres::`).
//!
//! The checks are behaviour a user of the service would notice if a backend got it wrong:
//! records that come back different, a write that half happens, a link used twice, a decision
//! taken twice, counts lost, a backup that does not restore.
use bussola::store::{Database, SqliteStore, Store};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

mod accounts;
mod backup;
mod history;
mod news;
mod replicas;
mod reports;
mod services;
mod training;
mod trends;
mod usage;

/// Opens a fresh, empty store of the backend under test; its files (if any) go in the folder.
pub type Open = dyn Fn(&Path) -> Box<dyn Store>;

/// A backend under test.
pub struct Backend {
    /// Opens a fresh, empty store; what it makes outside the folder is named after the folder.
    pub open: fn(&Path) -> Box<dyn Store>,
    /// Whether the backend can run here (when not, it prints why; in CI it fails).
    pub ready: fn() -> bool,
    /// Removes what `open` made outside the folder (after the check, passed or failed).
    pub clean: fn(&Path),
}

/// A scratch folder of its own for one check (cleaned and removed when dropped).
pub struct Scratch(pub PathBuf, fn(&Path));

impl Scratch {
    pub fn new(backend: &str, check: &str, clean: fn(&Path)) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "bussola-conformance-{backend}-{check}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir, clean)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        (self.1)(&self.0);
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One `#[test]` per check for a backend: `conformance!(name, BACKEND)`.
macro_rules! conformance {
    ($backend:ident, $open:expr) => {
        mod $backend {
            use super::*;
            conformance!(@checks $backend, $open;
                services::round_trip_and_order,
                services::every_write_moves_the_version_and_reads_do_not,
                services::seeding_is_per_region,
                services::a_failed_batch_writes_nothing,
                services::an_organisation_keeps_its_contact,
                services::data_outlives_the_store_value,
                services::many_services_come_back_whole_and_in_order,
                services::briefs_and_records_by_id_agree_with_the_records,
                accounts::accounts_are_unique_by_email_in_any_case,
                accounts::a_login_link_works_once_and_not_after_expiry,
                accounts::sessions_end_when_revoked_or_expired,
                history::edits_are_written_whole_with_their_changes,
                history::changes_are_found_by_status_subject_and_service,
                history::a_decision_is_taken_once,
                history::a_removal_writes_its_closing_with_it,
                reports::quality_reports_come_back_typed_and_replace,
                reports::citizens_reports_newest_first_and_resolved_once,
                reports::survey_answers_come_back_typed_oldest_first,
                usage::counts_add_up_per_day_and_period,
                training::offers_are_written_with_their_changes_and_read_back,
                training::demonstration_offers_are_seeded_once,
                news::news_comes_back_ordered_filtered_and_changed,
                trends::points_are_stored_once_and_read_back_in_order,
                trends::reference_values_are_replaced_and_found_by_day,
                trends::alerts_are_stored_once_newest_first,
                backup::a_backup_restores_what_was_stored_then,
                backup::a_restore_keeps_what_was_revoked_or_used_since,
                backup::a_bad_backup_changes_nothing,
                backup::a_backend_failure_keeps_its_cause,
                replicas::another_process_hears_and_learns_what_changed,
                replicas::rate_limits_are_shared_by_every_process,
                replicas::two_processes_writing_the_same_services_both_land,
            );
        }
    };
    (@checks $backend:ident, $open:expr; $($module:ident :: $check:ident),* $(,)?) => {
        $(
            #[test]
            fn $check() {
                let backend: &Backend = &$open;
                if !(backend.ready)() {
                    return;
                }
                let dir = Scratch::new(stringify!($backend), stringify!($check), backend.clean);
                $module::$check(&backend.open, &dir.0);
            }
        )*
    };
}

fn sqlite_file(dir: &Path) -> Box<dyn Store> {
    Box::new(SqliteStore::open(&dir.join("store.sqlite")).unwrap())
}

// The default backend, on a file as served (WAL, synchronous writes).
conformance!(
    sqlite_file,
    Backend {
        open: sqlite_file,
        ready: || true,
        clean: |_| {},
    }
);

/// The databases made for scratch folders: (folder, database name).
static POSTGRES_DATABASES: Mutex<Vec<(PathBuf, String)>> = Mutex::new(Vec::new());

/// The database on the test cluster of a scratch folder, opened as `--database` would: a fresh
/// one on the folder's first open, the same one again after.
fn postgres(dir: &Path) -> Box<dyn Store> {
    use crate::common::postgres;
    let admin = postgres::cluster().expect("checked by ready");
    let name = postgres::name(&dir.display().to_string());
    let mut made = POSTGRES_DATABASES.lock().unwrap();
    if !made.iter().any(|(folder, _)| folder == dir) {
        postgres::create(&admin, &name);
        made.push((dir.to_path_buf(), name.clone()));
    }
    drop(made);
    let url = postgres::url_of(&admin, &name);
    Database::parse(&url).unwrap().open().unwrap()
}

/// Drops the databases made for a scratch folder and the folders in it.
fn postgres_clean(dir: &Path) {
    let Some(admin) = std::env::var("BUSSOLA_TEST_POSTGRES").ok() else {
        return;
    };
    let mut made = POSTGRES_DATABASES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    made.retain(|(folder, name)| {
        let mine = folder.starts_with(dir);
        if mine {
            crate::common::postgres::drop_database(&admin, name);
        }
        !mine
    });
}

// PostgreSQL with PostGIS, one database per check on the cluster of BUSSOLA_TEST_POSTGRES.
conformance!(
    postgres,
    Backend {
        open: postgres,
        ready: || crate::common::postgres::cluster().is_some(),
        clean: postgres_clean,
    }
);
