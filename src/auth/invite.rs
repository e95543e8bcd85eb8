//! Invitations: a request checked field by field, the account and its login link, and the
//! e-mail that carries the link (Portuguese, then English) or the log line that stands in
//! for it without SMTP.
use super::{NewUser, Role, User, LOGIN_TTL_SECS};
use crate::mail::{Mail, Mailer};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An invitation as an admin asks for it (the body of `POST /api/invitations`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct InviteRequest {
    /// The invitee's e-mail address.
    pub email: String,
    /// `provider`, `moderator` or `admin`.
    pub role: String,
    /// For a provider: the provider id of its services (ignored for other roles).
    pub provider: Option<String>,
    /// For a moderator: its municipality codes (ignored for other roles).
    pub municipalities: Vec<String>,
}

impl InviteRequest {
    /// Reads a request from a JSON object (missing fields are empty, and named when needed).
    pub fn from_json(body: &[u8]) -> Result<Self> {
        let bad = |e: String| {
            let m = format!("send {{\"email\", \"role\", \"provider\", \"municipalities\"}}: {e}");
            Error::param("body", m)
        };
        // serde would also read a struct from an array; only an object is meant.
        match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(v) if v.is_object() => serde_json::from_value(v).map_err(|e| bad(e.to_string())),
            Ok(_) => Err(bad("not a JSON object".into())),
            Err(e) => Err(bad(e.to_string())),
        }
    }
}

/// A single-use login link to hand over.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoginLink {
    /// `<base>/login?token=<raw token>`.
    pub login_url: String,
    /// When it expires (Unix seconds).
    pub expires: i64,
}

impl LoginLink {
    /// The link to a raw login token issued at `now`, on the service reached at `base`.
    pub fn new(base: &str, raw: &str, now: i64) -> Self {
        LoginLink {
            login_url: format!("{}/login?token={raw}", base.trim_end_matches('/')),
            expires: now + LOGIN_TTL_SECS,
        }
    }
}

/// What became of the e-mail with a login link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delivery {
    /// Whether it was handed to the SMTP server.
    pub emailed: bool,
    /// Why it could not be, when SMTP is set up and sending failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_error: Option<String>,
}

/// An account's login link and what became of its e-mail, as the API answers.
#[derive(Debug, Clone, Serialize)]
pub struct Invitation {
    /// The account.
    pub user: User,
    /// The link.
    #[serde(flatten)]
    pub link: LoginLink,
    /// The e-mail.
    #[serde(flatten)]
    pub delivery: Delivery,
}

/// What is wrong with an e-mail address, if anything (a light check: one `@`, a dotted
/// domain, no spaces).
pub fn email_problem(email: &str) -> Option<String> {
    let (local, domain) = email.rsplit_once('@').unwrap_or(("", ""));
    let bad = local.is_empty()
        || local.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || email.contains(char::is_whitespace);
    bad.then(|| format!("'{email}' is not an e-mail address"))
}

/// Every problem of a new account, by field: its address, a provider's provider id (checked
/// with `provider` when given), a moderator's area and unknown municipality codes.
pub fn problems(
    u: &NewUser,
    municipality: impl Fn(&str) -> bool,
    provider: Option<&dyn Fn(&str) -> bool>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(p) = email_problem(&u.email) {
        out.insert("email".to_string(), p);
    }
    match (u.role, u.provider.as_deref().filter(|p| !p.is_empty())) {
        (Role::Provider, None) => {
            let m = "a provider account needs a provider id (the provider.id of its services)";
            out.insert("provider".to_string(), m.to_string());
        }
        (Role::Provider, Some(p)) if provider.is_some_and(|known| !known(p)) => {
            let m = format!("no service has the provider id '{p}'");
            out.insert("provider".to_string(), m);
        }
        (Role::Trainer, None) => {
            let m = "a trainer account needs the id of its training entity (as in its offers' organiser)";
            out.insert("provider".to_string(), m.to_string());
        }
        _ => {}
    }
    if u.role == Role::Moderator && u.municipalities.is_empty() {
        let m = "a moderator account needs one or more municipality codes";
        out.insert("municipalities".to_string(), m.to_string());
    } else if let Some(m) = u.municipalities.iter().find(|m| !municipality(m)) {
        let m = format!("unknown municipality code '{m}' (see /api/municipalities)");
        out.insert("municipalities".to_string(), m);
    }
    out
}

/// The account a request asks for, or every problem with it ([`Error::InvalidFields`]); only
/// the fields of its role are kept.
pub fn check_request(
    req: &InviteRequest,
    municipality: impl Fn(&str) -> bool,
    provider: &dyn Fn(&str) -> bool,
) -> Result<NewUser> {
    let role = Role::parse(req.role.trim()).ok();
    let trimmed = |s: &String| s.trim().to_string();
    let u = NewUser {
        email: req.email.trim().to_lowercase(),
        role: role.unwrap_or(Role::Admin),
        provider: req
            .provider
            .as_ref()
            .map(trimmed)
            .filter(|_| matches!(role, Some(Role::Provider | Role::Trainer))),
        municipalities: match role {
            Some(Role::Moderator) => req.municipalities.iter().map(trimmed).collect(),
            _ => Vec::new(),
        },
    };
    let mut fields = problems(&u, municipality, Some(provider));
    if role.is_none() {
        let m = format!(
            "unknown role '{}'; one of provider, trainer, moderator, admin",
            req.role
        );
        fields.insert("role".to_string(), m);
    }
    if fields.is_empty() {
        Ok(u)
    } else {
        Err(Error::InvalidFields(fields))
    }
}

fn role_words(u: &User) -> (String, String) {
    let list = u.municipalities.join(", ");
    let provider = u.provider.clone().unwrap_or_default();
    match u.role {
        Role::Admin => (
            "coordenação (todos os serviços)".into(),
            "admin (every service)".into(),
        ),
        Role::Moderator => (
            format!("moderação dos concelhos {list}"),
            format!("moderator of municipalities {list}"),
        ),
        Role::Provider => (
            format!("entidade prestadora '{provider}'"),
            format!("provider '{provider}'"),
        ),
        Role::Trainer => (
            format!("entidade formadora '{provider}'"),
            format!("training entity '{provider}'"),
        ),
    }
}

/// The e-mail with a login link: who invited (`by`, an address; `None` for the command line),
/// what the service is (`service`, the region's name), the link, single use and valid 7 days.
/// `fresh`: a new link for an existing account rather than an invitation.
pub fn mail(to: &User, by: Option<&str>, service: &str, link: &LoginLink, fresh: bool) -> Mail {
    let (pt_role, en_role) = role_words(to);
    let url = &link.login_url;
    let (pt_by, en_by) = match by {
        Some(b) => (b.to_string(), b.to_string()),
        None => (
            "A coordenação do Bússola".into(),
            "The Bússola coordinators".into(),
        ),
    };
    let (subject, pt_intro, en_intro) = if fresh {
        (
            format!("Nova ligação de acesso ao Bússola / A new login link for Bússola — {service}"),
            format!("{pt_by} enviou-lhe uma nova ligação de acesso ao Bússola — {service}."),
            format!("{en_by} has sent you a new login link for Bússola — {service}."),
        )
    } else {
        (
            format!("Convite para o Bússola / Invitation to Bússola — {service}"),
            format!("{pt_by} convidou-o(a) para o Bússola — {service}."),
            format!("{en_by} has invited you to Bússola — {service}."),
        )
    };
    let text = format!(
        "Olá,\n\n{pt_intro}\n\n\
O Bússola é o mapa aberto das respostas sociais (lares, centros de dia, apoio domiciliário, \
creches e outras), onde quem as presta mantém os seus dados atualizados.\n\
A sua conta: {}, com o papel de {pt_role}.\n\n\
Para entrar, abra esta ligação:\n\n{url}\n\n\
A ligação só pode ser usada uma vez e é válida durante 7 dias. Se expirar, peça uma nova.\n\
Se não esperava esta mensagem, pode ignorá-la.\n\n\
-- English --\n\nHello,\n\n{en_intro}\n\n\
Bússola is the open map of social care services (care homes, day centres, home support, \
creches and more), where the providers keep their own records current.\n\
Your account: {}, as {en_role}.\n\n\
To sign in, open this link:\n\n{url}\n\n\
The link works once only and is valid for 7 days. If it expires, ask for a new one.\n\
If you did not expect this message, you can ignore it.\n",
        to.email, to.email
    );
    Mail {
        to: to.email.clone(),
        subject,
        text,
    }
}

/// Sends the e-mail with a login link; without SMTP, logs the link instead (as `user add`
/// prints it). A failure is logged and returned, never raised: the link is still valid.
pub fn deliver(mailer: &dyn Mailer, mail: &Mail, link: &LoginLink) -> Delivery {
    if !mailer.sends() {
        tracing::info!(
            "login link for {} (no SMTP set up, not e-mailed): {}",
            mail.to,
            link.login_url
        );
        return Delivery {
            emailed: false,
            email_error: None,
        };
    }
    match mailer.send(mail) {
        Ok(()) => {
            tracing::info!("e-mailed a login link to {}", mail.to);
            Delivery {
                emailed: true,
                email_error: None,
            }
        }
        Err(e) => {
            tracing::warn!("could not e-mail the login link to {}: {e}", mail.to);
            Delivery {
                emailed: false,
                email_error: Some(e.to_string()),
            }
        }
    }
}
