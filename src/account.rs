//! Accounts and roles: what an account is and what it may do. The vocabulary that the store,
//! `auth` and the use cases share, so it sits at the bottom of the layers; `auth` re-exports it.
use crate::model::Facts;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The regional coordinator: everything.
    Admin,
    /// E.g. a municipality's social network: services in its municipalities, and reviews there.
    Moderator,
    /// One organisation: its own services and training offers.
    Provider,
    /// A training entity: its own training offers (in `provider`, the entity's id), no services.
    Trainer,
}

impl Role {
    /// The role's name as stored and shown (`admin`, `moderator`, `provider`, `trainer`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Moderator => "moderator",
            Role::Provider => "provider",
            Role::Trainer => "trainer",
        }
    }

    /// Parses a role's name.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "admin" => Ok(Role::Admin),
            "moderator" => Ok(Role::Moderator),
            "provider" => Ok(Role::Provider),
            "trainer" => Ok(Role::Trainer),
            _ => Err(Error::param(
                "role",
                format!("unknown role '{s}'; one of admin, moderator, provider, trainer"),
            )),
        }
    }
}

/// An account to create.
#[derive(Debug, Clone, PartialEq)]
pub struct NewUser {
    /// E-mail address (unique; how the person is reached).
    pub email: String,
    /// Role.
    pub role: Role,
    /// For a provider: the provider id (`provider.id` of its services) it may edit.
    pub provider: Option<String>,
    /// For a moderator: the municipality codes (DICO) it looks after.
    pub municipalities: Vec<String>,
}

/// A stored account.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    /// Stable id.
    pub id: i64,
    /// E-mail address (never shown in public output).
    pub email: String,
    /// Role.
    pub role: Role,
    /// For a provider: the provider id it may edit.
    pub provider: Option<String>,
    /// For a moderator: its municipality codes.
    pub municipalities: Vec<String>,
}

impl User {
    /// Whether this account may edit a service: admin all, a moderator those in its
    /// municipalities, a provider those of its own provider id.
    pub fn may_edit(&self, s: &impl Facts) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Moderator => self.municipalities.iter().any(|m| m == s.municipality()),
            Role::Provider => self.provider.as_deref() == Some(s.provider_id()),
            Role::Trainer => false,
        }
    }

    /// Whether this account's changes go live without review (admins and moderators).
    pub fn reviews(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Moderator)
    }

    /// Whether this account may approve or reject changes to a service (admins, and moderators
    /// in their municipalities).
    pub fn may_review(&self, s: &impl Facts) -> bool {
        self.reviews() && self.may_edit(s)
    }
}
