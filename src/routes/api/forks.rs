//! `POST /api/v1/pastes/{id}/forks`: fork a paste, answered like a creation.

use actix_web::{HttpResponse, web};

use crate::routes::plumbing::creation::Creation;
use crate::routes::plumbing::failure::{ApiError, ErrorBody, Json};
use crate::routes::plumbing::negotiate::Format;
use crate::routes::plumbing::paste_path::PastePath;
use crate::state::AppState;

// The responses' shape is the creation's (`pastes::CreatedPaste`).
#[allow(unused_imports, reason = "named in the path's annotation")]
use super::pastes::CreatedPaste;

/// Fork a paste: a new paste with its content, title, language and
/// visibility, whose page links back to it (and which it counts among its
/// forks). With a bearer token the fork is the token's user's (and they may
/// fork their private pastes); without one it is anonymous, with its own
/// delete token. Any request body is ignored.
#[utoipa::path(
    post,
    path = "/api/v1/pastes/{id}/forks",
    operation_id = "fork_paste",
    tag = "pastes",
    security((), ("bearer" = [])),
    params(
        ("id" = String, Path, description = "The paste to fork"),
        ("Idempotency-Key" = Option<String>, Header,
         description = "Retries with the same key get the first answer for 24 hours"),
    ),
    responses(
        (status = 201, description = "Forked: the new paste, as a creation answers", body = CreatedPaste,
         headers(("Location" = String, description = "The fork's page"),
                 ("X-Delete-Token" = String, description = "The fork's delete token"),
                 ("RateLimit-Limit" = u32, description = "Creations allowed at once (a fork is a creation)"),
                 ("RateLimit-Remaining" = u32, description = "Creations that could go ahead at once now"),
                 ("RateLimit-Reset" = u64, description = "Seconds until the bucket is full again"),
                 ("Idempotent-Replayed" = String, description = "`true` when this answers a retry with the same Idempotency-Key"))),
        (status = 401, description = "`invalid_token`: an `Authorization` header that is not a live API token; `login_required`: this server creates pastes for signed-in users only", body = ErrorBody),
        (status = 404, description = "`not_found`: missing, expired, burned or deleted, or private and not yours", body = ErrorBody),
        (status = 410, description = "`removed`: taken down by the operator (the message names the category)", body = ErrorBody),
        (status = 409, description = "`burn_after_read_not_forkable`: copying a burn-after-read paste would burn it; `end_to_end_not_forkable`: the server cannot read an end-to-end encrypted paste; `password_protected_not_forkable`: the server holds it sealed (the burn code also answers a paste with `max_views`); `idempotency_in_progress`: a creation with this Idempotency-Key is under way", body = ErrorBody),
        (status = 422, description = "`idempotency_key_reused`: this Idempotency-Key was used for another creation; `invalid_idempotency_key`", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many creations from this client", body = ErrorBody,
         headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "`unavailable`: a backend is down", body = ErrorBody,
         headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub(crate) async fn create(
    path: PastePath<Json>,
    creation: Creation,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    creation.admit(&state).await?;
    let by = creation.caller.user().cloned();
    Ok(creation
        .fork(&state, path.id(), by.as_ref(), Format::Json)
        .await?)
}
