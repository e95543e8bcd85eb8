//! `user add|link|revoke`: accounts from the command line.
use super::args::UserCommand;
use super::{open_catalog, resolve, DEFAULT_REGION};
use anyhow::{Context, Result};
use std::path::PathBuf;

/// `user add|link|revoke`: thin over `bussola::auth`.
pub(super) fn user(cmd: UserCommand) -> Result<()> {
    let (UserCommand::Add { db, .. }
    | UserCommand::Link { db, .. }
    | UserCommand::Revoke { db, .. }) = &cmd;
    // Bad mail settings stop before any account is made.
    let mailer = db.mail.mailer()?;
    let regions: Vec<PathBuf> = db
        .region
        .iter()
        .map(|r| resolve(r, DEFAULT_REGION))
        .collect();
    let catalog = open_catalog(&regions, &db.db)?;
    let store = catalog.store();
    let now = bussola::auth::now();
    let find = |email: &str| -> Result<bussola::auth::User> {
        store
            .user_by_email(email)?
            .with_context(|| format!("no account for {email}"))
    };
    let (user, raw) = match &cmd {
        UserCommand::Add {
            email,
            role,
            provider,
            municipalities,
            ..
        } => {
            let new = bussola::auth::NewUser {
                email: email.clone(),
                role: bussola::auth::Role::parse(role)?,
                provider: provider.clone(),
                municipalities: municipalities.clone(),
            };
            bussola::auth::check_new_user(&new, |m| catalog.region().municipality(m).is_some())?;
            bussola::auth::invite(store, &new, now)?
        }
        UserCommand::Link { email, .. } => {
            let u = find(email)?;
            let raw = bussola::auth::login_link_token(store, u.id, now)?;
            (u, raw)
        }
        UserCommand::Revoke { email, .. } => {
            let u = find(email)?;
            let n = store.revoke_user(u.id, now)?;
            println!(
                "revoked {n} session(s) and link(s) of {} ({})",
                u.email,
                u.role.as_str()
            );
            return Ok(());
        }
    };
    println!("{} ({}, id {})", user.email, user.role.as_str(), user.id);
    println!("login link (single use, valid 7 days):");
    let link = bussola::auth::invite::LoginLink::new(&format!("http://{}", db.host), &raw, now);
    println!("{}", link.login_url);
    if mailer.sends() {
        let fresh = matches!(cmd, UserCommand::Link { .. });
        let service = &catalog.region().name;
        let mail = bussola::auth::invite::mail(&user, None, service, &link, fresh);
        match mailer.send(&mail) {
            Ok(()) => println!("e-mailed to {}", user.email),
            Err(e) => println!("not e-mailed ({e}); pass the link on yourself"),
        }
    }
    Ok(())
}
