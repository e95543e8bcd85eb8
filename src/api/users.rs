//! Accounts, for admins: `POST /api/invitations`, `POST /api/users/{id}/link`,
//! `GET /api/users`. Thin over [`crate::auth::invite`](mod@crate::auth::invite).
use super::auth::Auth;
use super::error::ApiError;
use super::AppState;
use crate::auth::invite::{self, Delivery, Invitation, InviteRequest, LoginLink};
use crate::auth::{now, Role, User};
use crate::error::Refusal;
use crate::Error;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

fn admin(auth: &Auth) -> Result<(), Error> {
    if auth.user.role == Role::Admin {
        Ok(())
    } else {
        Err(Error::refused(
            Refusal::Forbidden,
            "only an admin may manage accounts",
        ))
    }
}

/// Sends (or logs) the login link off the async threads (SMTP blocks), and answers 201.
async fn hand_over(
    app: &AppState,
    by: &User,
    user: User,
    link: LoginLink,
    fresh: bool,
) -> (StatusCode, Json<Invitation>) {
    let mail = invite::mail(
        &user,
        Some(&by.email),
        &app.catalog.region().name,
        &link,
        fresh,
    );
    let (mailer, l) = (app.mailer.clone(), link.clone());
    let delivery = tokio::task::spawn_blocking(move || invite::deliver(&*mailer, &mail, &l))
        .await
        .unwrap_or_else(|e| Delivery {
            emailed: false,
            email_error: Some(format!("the mail task failed: {e}")),
        });
    let body = Invitation {
        user,
        link,
        delivery,
    };
    (StatusCode::CREATED, Json(body))
}

/// `POST /api/invitations` with `{"email", "role", "provider", "municipalities"}`: a new
/// account and its single-use login link, e-mailed when SMTP is set up (201).
pub async fn invite(
    _: super::params::NoParams,
    State(app): State<AppState>,
    auth: Auth,
    origin: super::origin::Origin,
    body: Bytes,
) -> Result<(StatusCode, Json<Invitation>), ApiError> {
    admin(&auth)?;
    let req = InviteRequest::from_json(&body)?;
    let base = origin.base;
    let (user, link) = app
        .blocking(move |cat| cat.invite(&req, &base, now()))
        .await?;
    Ok(hand_over(&app, &auth.user, user, link, false).await)
}

/// `POST /api/users/{id}/link`: a new single-use login link for an existing account (201).
pub async fn link(
    _: super::params::NoParams,
    State(app): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    origin: super::origin::Origin,
) -> Result<(StatusCode, Json<Invitation>), ApiError> {
    admin(&auth)?;
    let id: i64 = id.parse().map_err(|_| Error::NotFound {
        what: "account",
        id: id.clone(),
    })?;
    let base = origin.base;
    let (user, link) = app
        .blocking(move |cat| cat.relink(id, &base, now()))
        .await?;
    Ok(hand_over(&app, &auth.user, user, link, true).await)
}

/// `GET /api/users`: every account, by e-mail address.
pub async fn list(
    _: super::params::NoParams,
    State(app): State<AppState>,
    auth: Auth,
) -> Result<Json<Value>, ApiError> {
    admin(&auth)?;
    let users = app.blocking(|cat| cat.store().users()).await?;
    Ok(Json(json!({"users": users})))
}
