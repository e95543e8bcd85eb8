//! The records of accounts, tokens and changes as the [`super::Accounts`] store keeps them.
use crate::model::Service;
use serde::Serialize;
use serde_json::Value;

/// What a token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A single-use login link.
    Login,
    /// A session (bearer token or cookie).
    Session,
}

impl TokenKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Login => "login",
            TokenKind::Session => "session",
        }
    }
}

/// A token to store (hashes only).
#[derive(Debug, Clone)]
pub struct NewToken {
    /// The account.
    pub user: i64,
    /// What it is for.
    pub kind: TokenKind,
    /// SHA-256 of the raw token.
    pub hash: String,
    /// SHA-256 of the session's CSRF value.
    pub csrf_hash: Option<String>,
    /// Issued (Unix seconds).
    pub created: i64,
    /// Expires (Unix seconds).
    pub expires: i64,
}

/// A valid session and its account.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// The session's token id.
    pub id: i64,
    /// The account.
    pub user: crate::account::User,
    /// SHA-256 of the session's CSRF value.
    pub csrf_hash: Option<String>,
}

/// Where a change stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeStatus {
    /// Waiting for a moderator; not public.
    Pending,
    /// Live (applied to the service).
    Applied,
    /// Refused by a moderator; never applied.
    Rejected,
}

impl ChangeStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeStatus::Pending => "pending",
            ChangeStatus::Applied => "applied",
            ChangeStatus::Rejected => "rejected",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(ChangeStatus::Pending),
            "applied" => Some(ChangeStatus::Applied),
            "rejected" => Some(ChangeStatus::Rejected),
            _ => None,
        }
    }
}

/// What a change is to: a service, or an organisation (provider) and so all its services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// A service; `service_id` is the service's id.
    #[default]
    Service,
    /// An organisation; `service_id` holds the provider's id.
    Provider,
    /// A training offer; `service_id` holds the offer's id.
    Training,
}

impl Subject {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Service => "service",
            Subject::Provider => "provider",
            Subject::Training => "training",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "service" => Some(Subject::Service),
            "provider" => Some(Subject::Provider),
            "training" => Some(Subject::Training),
            _ => None,
        }
    }
}

/// A change to one field of one service (or organisation), to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewChange {
    /// A service or an organisation.
    pub subject: Subject,
    /// The service (the provider, for an organisation).
    pub service_id: String,
    /// The field (see [`crate::edit`]).
    pub field: String,
    /// The value before.
    pub old: Value,
    /// The value after.
    pub new: Value,
    /// Who (none for an import).
    pub user_id: Option<i64>,
    /// Their role then (`provider`, `moderator`, `admin`), none for an import.
    pub role: Option<String>,
    /// `provider`, `moderator`, `admin` or `import`.
    pub source: String,
    /// Pending or applied.
    pub status: ChangeStatus,
    /// When (Unix seconds).
    pub created: i64,
    /// The change this one reverts.
    pub reverts: Option<i64>,
}

/// A stored change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Stable id.
    pub id: i64,
    /// The change as submitted.
    #[serde(flatten)]
    pub change: ChangeFields,
    /// Where it stands.
    pub status: ChangeStatus,
    /// Who approved or rejected it.
    pub decided_by: Option<i64>,
    /// When (Unix seconds).
    pub decided: Option<i64>,
}

/// The submitted part of a stored change (as [`NewChange`], serialisable).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeFields {
    /// A service or an organisation.
    pub subject: Subject,
    /// The service (the provider, for an organisation).
    pub service_id: String,
    /// The field.
    pub field: String,
    /// The value before.
    pub old: Value,
    /// The value after.
    pub new: Value,
    /// Who.
    pub user_id: Option<i64>,
    /// Their role then.
    pub role: Option<String>,
    /// `provider`, `moderator`, `admin` or `import`.
    pub source: String,
    /// When (Unix seconds).
    pub created: i64,
    /// The change this one reverts.
    pub reverts: Option<i64>,
}

/// A decision on a pending change, written with the service it updates.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The change.
    pub id: i64,
    /// Applied (approved) or rejected.
    pub status: ChangeStatus,
    /// Who decided.
    pub by: i64,
    /// When (Unix seconds).
    pub at: i64,
    /// The value it replaces as of now (approval), to keep in the history.
    pub old: Option<Value>,
}

/// One edit: the services' new records (if they change), the change rows and a decision, all
/// written in one transaction.
#[derive(Debug, Clone, Default)]
pub struct EditWrite {
    /// The services as they are after the edit (one, or all of an organisation's).
    pub services: Vec<Service>,
    /// New change rows (applied or pending).
    pub new: Vec<NewChange>,
    /// A decision on a pending change.
    pub decide: Option<Decision>,
    /// Training offers as they are after the edit.
    pub offers: Vec<crate::model::training::Offer>,
}

/// Which changes to list.
#[derive(Debug, Clone, Default)]
pub struct ChangeQuery {
    /// Only this status.
    pub status: Option<ChangeStatus>,
    /// Only changes to services, or only to organisations.
    pub subject: Option<Subject>,
    /// Only this service.
    pub service_id: Option<String>,
}

/// A news item as written by an admin (already checked by [`crate::news`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsDraft {
    /// Plain-text title.
    pub title: String,
    /// Markdown text.
    pub text: String,
    /// The day it is about or was published (YYYY-MM-DD).
    pub date: String,
    /// The municipality it concerns (DICO), or `None` for the whole region.
    pub municipality: Option<String>,
    /// A link to read more (http/https).
    pub link: Option<String>,
    /// Invented for the demonstration (shipped on a fresh start, never written through the API).
    pub demo: bool,
}

/// A stored news item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsItem {
    /// Its number.
    pub id: i64,
    /// What was written.
    pub draft: NewsDraft,
    /// When it was stored (Unix seconds).
    pub created: i64,
    /// When it last changed (Unix seconds).
    pub updated: i64,
    /// The account that wrote it (`None` for demonstration items); never shown publicly.
    pub author: Option<i64>,
}

/// What was written after a data version (see [`super::Store::changed_since`]).
#[derive(Debug, Clone, Default)]
pub struct Changed {
    /// The data version this answer is complete up to.
    pub version: u64,
    /// The services written since, as stored now (with their providers), in id order.
    pub services: Vec<Service>,
    /// The ids of services deleted since, in id order.
    pub removed: Vec<String>,
}
