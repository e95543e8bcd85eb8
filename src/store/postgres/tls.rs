//! TLS to PostgreSQL, as a URL asks for it with libpq's words: `sslmode` (`disable`, `allow`,
//! `prefer`, `require`, `verify-ca`, `verify-full`) and `sslrootcert` (a PEM file of the
//! certificate authorities to trust). Without `sslmode` the connection is plain, as before TLS
//! was supported. When TLS is used the server's certificate is always verified, host name
//! included (against `sslrootcert`, else Mozilla's roots): `require` here is libpq's
//! `verify-full`, so a copied URL never connects to an impostor silently.
use crate::store::StoreError;
use crate::Result;
use postgres::config::SslMode;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;
use std::path::PathBuf;
use tokio_postgres_rustls::MakeRustlsConnect;

/// What a URL asks of TLS, and the connector that does it.
#[derive(Clone)]
pub(super) struct Tls {
    /// The mode given to the driver.
    pub mode: SslMode,
    /// The trusted authorities' file, when the URL names one.
    pub root_cert: Option<PathBuf>,
    /// The connector (used only when `mode` is not `Disable`).
    pub connector: MakeRustlsConnect,
}

impl Tls {
    /// What libpq's programs (`pg_dump`, `pg_restore`) are told: `PGSSLMODE` and, when given,
    /// `PGSSLROOTCERT`. With a file of authorities they verify as this process does;
    /// without one, libpq's `require` encrypts without checking (its own default roots are
    /// the user's `~/.postgresql/root.crt`).
    pub fn libpq_env(&self) -> Vec<(&'static str, String)> {
        let mode = match (self.mode, &self.root_cert) {
            (SslMode::Disable, _) => "disable",
            (SslMode::Prefer, _) => "prefer",
            (_, Some(_)) => "verify-full",
            (_, None) => "require",
        };
        let mut env = vec![("PGSSLMODE", mode.to_string())];
        if let Some(file) = &self.root_cert {
            env.push(("PGSSLROOTCERT", file.display().to_string()));
        }
        env
    }
}

/// Splits a PostgreSQL URL into the URL the driver reads (without `sslmode` and
/// `sslrootcert`) and the TLS it asks for; a bad value or an unreadable file is named.
///
/// For example `postgres://db/b?sslmode=require&application_name=x` gives the driver
/// `postgres://db/b?application_name=x` and asks for verified TLS (see the tests below).
pub(super) fn split(url: &str) -> Result<(String, Tls)> {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, q),
        None => (url, ""),
    };
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
        .map_err(|e| StoreError::backend("reading the options of the database URL", e))?;
    let mut mode = SslMode::Disable;
    let mut root_cert = None;
    let mut rest = Vec::new();
    for (key, value) in pairs {
        match key.as_str() {
            "sslmode" => {
                mode = match value.as_str() {
                    "disable" | "allow" => SslMode::Disable,
                    "prefer" => SslMode::Prefer,
                    "require" | "verify-ca" | "verify-full" => SslMode::Require,
                    other => {
                        return Err(StoreError::backend(
                            "reading the database URL",
                            format!(
                                "sslmode '{other}': one of disable, allow, prefer, require, \
                                 verify-ca, verify-full"
                            ),
                        )
                        .into())
                    }
                }
            }
            "sslrootcert" if value != "system" => root_cert = Some(PathBuf::from(value)),
            "sslrootcert" => {}
            _ => rest.push((key, value)),
        }
    }
    let connector = MakeRustlsConnect::new(client_config(root_cert.as_ref())?);
    let url = if rest.is_empty() {
        base.to_string()
    } else {
        let q = serde_urlencoded::to_string(&rest)
            .map_err(|e| StoreError::backend("writing the database URL", e))?;
        format!("{base}?{q}")
    };
    Ok((
        url,
        Tls {
            mode,
            root_cert,
            connector,
        },
    ))
}

/// rustls' client settings: the authorities of `root_cert`, else Mozilla's (webpki-roots).
fn client_config(root_cert: Option<&PathBuf>) -> Result<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    match root_cert {
        Some(file) => {
            let named = |what: &str| format!("{what} {} (sslrootcert)", file.display());
            let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(file)
                .map_err(|e| StoreError::backend(named("reading"), e))?
                .collect::<std::result::Result<_, _>>()
                .map_err(|e| StoreError::backend(named("reading the certificates of"), e))?;
            if certs.is_empty() {
                return Err(StoreError::backend(
                    named("reading"),
                    "no PEM certificate in it (-----BEGIN CERTIFICATE-----)",
                )
                .into());
            }
            for cert in certs {
                roots
                    .add(cert)
                    .map_err(|e| StoreError::backend(named("a certificate of"), e))?;
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::backend("setting up TLS", e))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sslmode_and_sslrootcert_are_read_and_left_out_of_the_driver_s_url() {
        let (url, tls) = split("postgres://u:p@db:5432/b?sslmode=require&application_name=x")
            .expect("a good URL");
        assert_eq!(url, "postgres://u:p@db:5432/b?application_name=x");
        assert_eq!(tls.mode, SslMode::Require);
        assert_eq!(
            tls.libpq_env(),
            [("PGSSLMODE", "require".to_string())],
            "libpq encrypts; without authorities it cannot check"
        );
        let (url, tls) = split("postgres://db/b").expect("no options");
        assert_eq!(url, "postgres://db/b");
        assert_eq!(tls.mode, SslMode::Disable, "plain unless asked");
        let (_, tls) = split("postgres://db/b?sslmode=prefer").expect("prefer");
        assert_eq!(tls.mode, SslMode::Prefer);
    }

    #[test]
    fn a_bad_mode_or_authorities_file_is_named() {
        let e = split("postgres://db/b?sslmode=sometimes")
            .err()
            .expect("refused");
        assert!(e.to_string().contains("sslmode 'sometimes'"), "{e}");
        let e = split("postgres://db/b?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem")
            .err()
            .expect("refused");
        assert!(e.to_string().contains("/nonexistent/ca.pem"), "{e}");
        let dir = std::env::temp_dir().join(format!("bussola-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a folder");
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").expect("written");
        let e = split(&format!(
            "postgres://db/b?sslmode=require&sslrootcert={}",
            empty.display()
        ))
        .err()
        .expect("refused");
        assert!(e.to_string().contains("no PEM certificate"), "{e}");
        assert!(e.to_string().contains("empty.pem"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
