//! `POST /api/v1/tokens`: a username and password exchanged for a named API
//! token, shown once. The same throttle as the log-in form applies.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::error::RequestError;
use crate::routes::plumbing::client::Client;
use crate::routes::plumbing::failure::{ApiError, ErrorBody};
use crate::routes::plumbing::headers::media_type;
use crate::state::AppState;

/// Body of `POST /api/v1/tokens`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TokenRequest {
    /// The account's name (any case).
    pub(crate) username: String,
    /// Its password.
    pub(crate) password: String,
    /// What to call the token ("laptop", "CI"): 1 to 64 characters.
    pub(crate) name: String,
}

/// A new token: its secret is in this answer only.
#[derive(Serialize, ToSchema)]
pub(crate) struct IssuedToken {
    /// The secret, for `Authorization: Bearer`; never shown again.
    pub(crate) token: String,
    /// Its public id (lists and revocation name it).
    pub(crate) id: String,
    /// Its name.
    pub(crate) name: String,
    /// Whose it is.
    pub(crate) username: String,
    /// When it was made.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub(crate) created_at: OffsetDateTime,
}

/// Exchange a username and password for a named API token.
#[utoipa::path(
    post,
    path = "/api/v1/tokens",
    operation_id = "create_token",
    tag = "tokens",
    request_body(content = TokenRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "The token; its secret is shown only now", body = IssuedToken),
        (status = 400, description = "`malformed_json`: the body is not the object described", body = ErrorBody),
        (status = 401, description = "`invalid_credentials`: unknown user or wrong password (the same answer for both)", body = ErrorBody),
        (status = 403, description = "`account_disabled`: the operator disabled this account", body = ErrorBody),
        (status = 408, description = "`body_timeout`: the body did not arrive in time (the server's body deadline, 30 s by default)", body = ErrorBody),
        (status = 413, description = "`paste_too_large`: the body is over 64 KiB", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: not `application/json`", body = ErrorBody),
        (status = 422, description = "`invalid_token_name`, `too_many_tokens`", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many log-in attempts for this account or from this address", body = ErrorBody,
         headers(("Retry-After" = u64, description = "Seconds to wait"),
                 ("RateLimit-Limit" = u32, description = "Log-in attempts allowed at once (the bucket, refilled at this many a minute)"),
                 ("RateLimit-Remaining" = u32, description = "0"),
                 ("RateLimit-Reset" = u64, description = "Seconds until the bucket is full again"))),
        (status = 503, description = "`unavailable`: a backend is down; `busy`: bodies in flight hold all the memory allowed", body = ErrorBody,
         headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub(crate) async fn create(
    req: HttpRequest,
    payload: web::Payload,
    client: Client,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    if media_type(&req).as_deref() != Some("application/json") {
        return Err(RequestError::UnsupportedMediaType(
            "send `{username, password, name}` as `Content-Type: application/json`",
        )
        .into());
    }
    // Within the body deadline and the memory of bodies in flight, as every
    // upload (`web::Bytes` would wait for an unfinished body forever).
    let body = crate::routes::plumbing::body::read(
        &req,
        payload,
        &state.http.uploads,
        crate::routes::plumbing::small_body::SMALL_BODY_BYTES,
        0,
    )
    .await?;
    let asked: TokenRequest =
        serde_json::from_slice(&body).map_err(|e| RequestError::MalformedJson(e.to_string()))?;
    // An API client keeps no device cookie: its attempts spend the
    // address's and the account's shared allowances.
    let user = state
        .services
        .accounts
        .log_in(client.as_str(), None, &asked.username, &asked.password)
        .await?
        .user;
    let owner = crate::domain::AuthorSummary {
        id: user.id,
        username: user.username,
    };
    let (secret, token) = state.services.tokens.issue(&owner, &asked.name).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(IssuedToken {
            token: secret.as_str().to_owned(),
            id: token.id.as_str().to_owned(),
            name: token.name.as_str().to_owned(),
            username: token.user.username.as_str().to_owned(),
            created_at: token.created_at,
        }))
}
