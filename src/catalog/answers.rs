//! The use cases of people: invitations and login links for accounts, and the usefulness
//! survey's answers. They live here, above `auth`, `survey` and the store, so those stay below
//! the catalog.
use super::Catalog;
use crate::account::{Role, User};
use crate::auth::invite::{check_request, InviteRequest, LoginLink};
use crate::error::Refusal;
use crate::model::Facts;
use crate::survey::{AnswerSet, Audience, NewAnswers};
use crate::{Error, Result};
use std::collections::HashSet;

impl Catalog {
    /// Checks an invitation against the catalog (its municipalities and the provider ids of its
    /// services), refuses an address already registered ([`Refusal::Conflict`]), then creates
    /// the account and its login link; nothing is stored when anything is wrong.
    pub fn invite(&self, req: &InviteRequest, base: &str, now: i64) -> Result<(User, LoginLink)> {
        let providers: HashSet<String> =
            self.with_briefs(|it| it.map(|s| s.provider_id().to_string()).collect());
        let region = self.region();
        let u = check_request(req, |m| region.municipality(m).is_some(), &|p| {
            providers.contains(p)
        })?;
        let store = self.store();
        if store.user_by_email(&u.email)?.is_some() {
            let m = format!("an account for {} exists already", u.email);
            return Err(Error::refused(Refusal::Conflict, m));
        }
        let (user, raw) = crate::auth::invite(store, &u, now)?;
        Ok((user, LoginLink::new(base, &raw, now)))
    }

    /// A new login link for an existing account ([`Error::NotFound`] for an unknown id).
    pub fn relink(&self, id: i64, base: &str, now: i64) -> Result<(User, LoginLink)> {
        let store = self.store();
        let user = store.user(id)?.ok_or_else(|| Error::NotFound {
            what: "account",
            id: id.to_string(),
        })?;
        let raw = crate::auth::login_link_token(store, user.id, now)?;
        Ok((user, LoginLink::new(base, &raw, now)))
    }

    /// Checks and stores an answer set to the region's survey; `role` is kept for provider
    /// answers only.
    pub fn submit_survey(&self, new: &NewAnswers, role: Option<Role>) -> Result<AnswerSet> {
        let (audience, answers) = self.region().survey.check(new)?;
        let role = match audience {
            Audience::Provider => Some(
                role.ok_or_else(|| {
                    Error::refused(
                        Refusal::Unauthenticated,
                        "provider answers need a signed-in account",
                    )
                })?
                .as_str()
                .to_string(),
            ),
            _ => None,
        };
        let created = crate::feedback::now_utc();
        let id = self.store().add_survey_answers(
            audience.code(),
            role.as_deref(),
            &answers,
            &created,
        )?;
        Ok(AnswerSet {
            id,
            created,
            audience: audience.code().to_string(),
            role,
            answers,
        })
    }
}
