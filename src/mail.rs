//! Sending e-mail: the [`Mailer`] trait, the log-only default ([`LogOnly`]) and SMTP
//! ([`Smtp`], with lettre: plain SMTP to a relay, STARTTLS or SMTPS).
use crate::{Error, Result};
use std::time::Duration;

/// A plain-text e-mail to one address.
#[derive(Debug, Clone, PartialEq)]
pub struct Mail {
    /// The recipient's address.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The body, plain text (UTF-8).
    pub text: String,
}

/// Something that sends e-mail; the API and the CLI hold one, tests swap in their own.
pub trait Mailer: Send + Sync {
    /// Whether mail really leaves the machine (false for [`LogOnly`]).
    fn sends(&self) -> bool;
    /// Sends one e-mail; the error says why it could not.
    fn send(&self, mail: &Mail) -> Result<()>;
}

/// The default without SMTP: nothing is sent; callers log what matters (the login link).
#[derive(Debug, Clone, Copy, Default)]
pub struct LogOnly;

impl Mailer for LogOnly {
    fn sends(&self) -> bool {
        false
    }

    fn send(&self, mail: &Mail) -> Result<()> {
        tracing::debug!(
            "no SMTP configured; not sent to {}: {}",
            mail.to,
            mail.subject
        );
        Ok(())
    }
}

/// How long one SMTP exchange may take before the e-mail counts as failed.
const SMTP_TIMEOUT: Duration = Duration::from_secs(15);

/// E-mail through an SMTP server.
pub struct Smtp {
    transport: lettre::SmtpTransport,
    from: lettre::message::Mailbox,
}

impl std::fmt::Debug for Smtp {
    // The transport holds the credentials: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Smtp").field("from", &self.from).finish()
    }
}

impl Smtp {
    /// An SMTP mailer from a URL — `smtp://[user:pass@]host[:port]` (plain, port 25),
    /// `smtp://…?tls=required` (STARTTLS, port 587) or `smtps://…` (TLS, port 465) — and a
    /// sender such as `Bússola <noreply@example.pt>`.
    pub fn new(url: &str, from: &str) -> Result<Self> {
        let from = from
            .parse()
            .map_err(|e| Error::Mail(format!("sender '{from}': {e}")))?;
        // lettre's URL errors never repeat the password.
        let transport = lettre::SmtpTransport::from_url(url)
            .map_err(|e| Error::Mail(format!("SMTP URL: {e}")))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Smtp { transport, from })
    }
}

impl Mailer for Smtp {
    fn sends(&self) -> bool {
        true
    }

    fn send(&self, mail: &Mail) -> Result<()> {
        use lettre::message::header::ContentType;
        use lettre::Transport;
        let to = mail
            .to
            .parse()
            .map_err(|e| Error::Mail(format!("address '{}': {e}", mail.to)))?;
        let message = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            // lettre picks the transfer encoding: quoted-printable for long UTF-8 lines,
            // which every relay accepts (8bit would need the server's 8BITMIME).
            .body(mail.text.clone())
            .map_err(|e| Error::Mail(e.to_string()))?;
        self.transport
            .send(&message)
            .map(|_| ())
            .map_err(|e| Error::Mail(e.to_string()))
    }
}

/// The mailer for optional settings: SMTP when a URL is given, else [`LogOnly`].
pub fn from_settings(smtp_url: Option<&str>, from: &str) -> Result<std::sync::Arc<dyn Mailer>> {
    Ok(match smtp_url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => std::sync::Arc::new(Smtp::new(url, from)?),
        None => std::sync::Arc::new(LogOnly),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_settings_are_refused_before_anything_is_sent() {
        assert!(!from_settings(None, "x").unwrap().sends());
        assert!(from_settings(
            Some("smtp://127.0.0.1:2525"),
            "Bússola <noreply@example.pt>"
        )
        .unwrap()
        .sends());
        let e = Smtp::new("smtp://127.0.0.1:25", "not an address").unwrap_err();
        assert!(e.to_string().contains("sender"), "{e}");
        let e = Smtp::new("ftp://u:secret@host", "a@example.pt").unwrap_err();
        assert!(!e.to_string().contains("secret"), "{e}");
    }
}
