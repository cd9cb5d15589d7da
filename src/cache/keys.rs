//! Every Redis key format (cache entries and the job queue's keys) and every
//! lifetime of a cache entry, in one place, versioned: a change of format
//! takes a new version prefix, so old and new clones never read each other's
//! bytes.

use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::domain::token::hex;
use crate::domain::{Month, PasteId, TokenId, Username};

/// Prefix of every paste view key: the in-process cache keeps these (large)
/// apart from small control entries.
pub const PASTE_VIEW_PREFIX: &str = "v5:paste:";

/// The assembled view of a paste (or its tombstone, or its "missing" mark).
/// v3: typed header, markers told apart. v4: the view carries its render.
/// v5: tombstones carry their delete's nonce (`GONE` + 16 bytes), so a v4
/// clone, which knows only a bare `GONE`, never shares keys with a v5 one.
pub(crate) fn paste_view(id: &PasteId) -> String {
    format!("{PASTE_VIEW_PREFIX}{id}")
}

/// Prefix of the cached view of one earlier revision of a paste.
pub const REVISION_VIEW_PREFIX: &str = "v1:revision:";

/// Prefix of the cached diff between two revisions of a paste.
pub const DIFF_VIEW_PREFIX: &str = "v1:diff:";

/// True for the keys of large entries (paste, revision and diff views),
/// which the in-process cache weighs by their bytes.
pub(crate) fn is_large(key: &str) -> bool {
    [PASTE_VIEW_PREFIX, REVISION_VIEW_PREFIX, DIFF_VIEW_PREFIX]
        .iter()
        .any(|prefix| key.starts_with(prefix))
}

/// Revision `number` of the paste `id` born at `born` (its creation, in
/// Unix milliseconds): a revision never changes, so its view is cached for
/// long; the birth keeps an id drawn again (after a delete) from ever
/// reading the revisions of the paste that had it before.
pub(crate) fn revision_view(id: &PasteId, born: i128, number: u64) -> String {
    format!("{REVISION_VIEW_PREFIX}{id}:{born}:{number}")
}

/// The diff from revision `from` to revision `to` of the paste `id` born
/// at `born` (immutable too: both sides are).
pub(crate) fn diff_view(id: &PasteId, born: i128, (from, to): (u64, u64)) -> String {
    format!("{DIFF_VIEW_PREFIX}{id}:{born}:{from}..{to}")
}

/// How long a revision or diff view is cached. Long: neither ever changes,
/// and every read checks its paste's (coherent) view first, so a paste
/// deleted, swept or trimmed never shows one again, cached or not.
pub(crate) const HISTORY_VIEW_LIFE: Duration = Duration::from_secs(7 * 24 * 3600);

/// The lease of the one render of a paste under way in the fleet: the
/// assemble job and a cold page read do not both render it, nor does a
/// reclaimed job render again what is being rendered.
pub(crate) fn render_lease(id: &PasteId) -> String {
    format!("v1:render:{id}")
}

/// The token bucket of one client's edits.
pub(crate) fn edit_rate(client: &str) -> String {
    format!("v2:rate:edit:{client}")
}

/// The token bucket of one client's creations. v2: a bucket, not a window.
pub(crate) fn create_rate(client: &str) -> String {
    format!("v2:rate:create:{client}")
}

/// The token bucket of one client's not-found answers.
pub(crate) fn miss_rate(client: &str) -> String {
    format!("v1:rate:miss:{client}")
}

/// A signed-in session, by the SHA-256 of its cookie's id: a copy of the
/// cache (a Redis dump, `MONITOR`) holds no cookie anyone could present.
pub(crate) fn session(cookie_id: &str) -> String {
    format!("v1:session:{}", hex(&Sha256::digest(cookie_id.as_bytes())))
}

/// The public first page of a user (their summary and newest public
/// pastes), or its tombstone. v2: its lines say `burn_after_read`.
pub(crate) fn user_page(username: &Username) -> String {
    format!("v2:userpage:{username}")
}

/// The public archive's first page (`/recent`), or its tombstone.
pub(crate) const ARCHIVE_PAGE: &str = "v1:archive:first";

/// When an API token was last used (unix milliseconds).
pub(crate) fn token_used(id: &TokenId) -> String {
    format!("v1:token:used:{id}")
}

/// The one-minute lease that lets one request note a token's use.
pub(crate) fn token_use_lease(id: &TokenId) -> String {
    format!("v1:token:used-lease:{id}")
}

/// The token bucket of password guesses on one protected paste.
pub(crate) fn unlock_rate_paste(id: &str) -> String {
    format!("v1:rate:unlock:paste:{id}")
}

/// The token bucket of password guesses from one client, on any paste.
pub(crate) fn unlock_rate_client(client: &str) -> String {
    format!("v1:rate:unlock:client:{client}")
}

/// The token bucket of reports of pastes sent by one client.
pub(crate) fn report_rate(client: &str) -> String {
    format!("v1:rate:report:{client}")
}

/// The mark of an account an operator disabled: every clone's session
/// lookup refuses that user's sessions while it is there (it outlives any
/// session made before it: `session.max_secs`).
pub(crate) fn account_disabled(user: &crate::domain::UserId) -> String {
    format!("v1:disabled:{}", user.as_str())
}

/// The token bucket of log-in attempts on one account (by lowercase name,
/// hashed: any text a client sends makes a short, safe key).
pub(crate) fn login_rate_account(username: &str) -> String {
    format!(
        "v1:rate:login:user:{}",
        hex(&Sha256::digest(username.as_bytes()))
    )
}

/// The token bucket of one client's log-in attempts.
pub(crate) fn login_rate_client(client: &str) -> String {
    format!("v1:rate:login:addr:{client}")
}

/// The token bucket of one client's sign-ups.
pub(crate) fn signup_rate(client: &str) -> String {
    format!("v1:rate:signup:{client}")
}

/// The token bucket of log-in attempts from one trusted browser (by the
/// SHA-256 of its device cookie): the allowance it keeps while others spend
/// its account's.
pub(crate) fn login_rate_device(device_cookie: &str) -> String {
    format!(
        "v1:rate:login:device:{}",
        hex(&Sha256::digest(device_cookie.as_bytes()))
    )
}

/// The record of a device cookie (the lowercase name it logged in as), by
/// the SHA-256 of the cookie: like sessions, a copy of the cache holds no
/// cookie anyone could present.
pub(crate) fn device(device_cookie: &str) -> String {
    format!(
        "v1:device:{}",
        hex(&Sha256::digest(device_cookie.as_bytes()))
    )
}

/// The record of an `Idempotency-Key` sent by `client`: keys of different
/// clients never meet. Hashed, so any client text makes a short, safe key.
/// v4: records hold the delete token sealed, never in the clear.
pub(crate) fn idempotency(client: &str, key: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(client.as_bytes());
    hash.update([0u8]);
    hash.update(key.as_bytes());
    format!("v4:idem:{}", hex(&hash.finalize()))
}

/// How long an `Idempotency-Key` is remembered.
pub(crate) const IDEMPOTENCY_LIFE: Duration = Duration::from_secs(24 * 3600);

/// How long an attempt may hold an `Idempotency-Key` before a retry may
/// resume it.
pub(crate) const IDEMPOTENCY_LEASE: Duration = Duration::from_secs(30);

/// Visits counted and not yet folded into the store: field `{id}|{YYYY-MM}`.
pub(crate) const VISITS_PENDING: &str = "v1:visits:pending";

/// Visits taken by one fold job (kept until the store has them).
pub(crate) fn visits_batch(batch: &str) -> String {
    format!("v1:visits:batch:{batch}")
}

/// The field of one paste's visits in one month.
pub(crate) fn visits_field(id: &PasteId, month: Month) -> String {
    format!("{id}|{month}")
}

/// Reads a field that `visits_field` wrote.
pub(crate) fn parse_visits_field(field: &str) -> Option<(PasteId, Month)> {
    let (id, month) = field.split_once('|')?;
    Some((PasteId::parse(id)?, Month::parse(month)?))
}

/// How long a taken batch of visits is kept for retries of its fold before
/// it is given up.
pub(crate) const VISITS_BATCH_LIFE: Duration = Duration::from_secs(7 * 24 * 3600);

/// How long a finished batch is remembered: long enough for any redelivery
/// of its fold (minutes), short enough not to pile up.
pub(crate) const FINISHED_BATCH_LIFE: Duration = Duration::from_secs(24 * 3600);

/// The job stream (Redis Streams, consumer group `workers`).
pub(crate) const JOBS_STREAM: &str = "v1:jobs";

/// Jobs waiting for their retry, scored by when they are due.
pub(crate) const JOBS_DELAYED: &str = "v1:jobs:delayed";

/// Jobs that failed for the last time, kept for inspection.
pub(crate) const JOBS_DEAD: &str = "v1:jobs:dead";

/// The lease that lets one worker of the fleet enqueue a periodic job for one slot.
pub(crate) fn periodic(kind: &str, slot: u64) -> String {
    format!("v1:periodic:{kind}:{slot}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_versioned_and_client_text_is_hashed() {
        let id = PasteId::parse("abcdEFGH").expect("an id");
        assert_eq!(paste_view(&id), "v5:paste:abcdEFGH");
        assert_eq!(revision_view(&id, 17, 3), "v1:revision:abcdEFGH:17:3");
        assert_eq!(diff_view(&id, 17, (1, 3)), "v1:diff:abcdEFGH:17:1..3");
        assert!(is_large(&revision_view(&id, 17, 3)) && !is_large(&edit_rate("a")));
        let key = idempotency("203.0.113.9", "any text: with spaces\nand newlines");
        assert!(key.starts_with("v4:idem:") && key.len() == 8 + 64);
        assert_ne!(
            key,
            idempotency("203.0.113.10", "any text: with spaces\nand newlines")
        );
    }

    #[test]
    fn a_visits_field_reads_back() {
        let id = PasteId::parse("abcdEFGH").expect("an id");
        let month = Month::parse("2026-11").expect("a month");
        let field = visits_field(&id, month);
        assert_eq!(field, "abcdEFGH|2026-11");
        assert_eq!(parse_visits_field(&field), Some((id, month)));
        assert_eq!(parse_visits_field("abcdEFGH|11-2026"), None);
    }
}
