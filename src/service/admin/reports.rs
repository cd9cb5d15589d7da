//! Readers' reports of pastes (`/{id}/report`): checked, throttled per
//! client, and kept in the store for `pastebin admin reports`.

use std::sync::Arc;

use super::AddressTags;
use crate::clock::Clock;
use crate::domain::{
    AuthorSummary, Category, Note, PasteId, REPORT_ID_CHARS, Report, ValidationError,
};
use crate::error::AppError;
use crate::service::PasteService;
use crate::service::rate_limit::{Limit, RateLimiter};
use crate::store::{OperatorStore, StoreError};

/// Ids drawn before giving up (62^10 ids: a second draw is already luck).
const ID_ATTEMPTS: usize = 3;

/// What a reader sent, as read from the form.
#[derive(Debug)]
pub(crate) struct ReportDraft<'a> {
    /// The `reason` field: a `Category` code.
    pub(crate) reason: &'a str,
    /// The `details` field, optional.
    pub(crate) details: &'a str,
}

/// The report use case.
pub(crate) struct ReportService {
    pastes: Arc<PasteService>,
    operator: Arc<dyn OperatorStore>,
    limiter: Arc<RateLimiter>,
    addresses: AddressTags,
    clock: Clock,
}

impl ReportService {
    /// Reports kept in `operator`, throttled by `limiter`.
    pub(crate) fn new(
        pastes: Arc<PasteService>,
        operator: Arc<dyn OperatorStore>,
        limiter: Arc<RateLimiter>,
        addresses: AddressTags,
        clock: Clock,
    ) -> Self {
        Self {
            pastes,
            operator,
            limiter,
            addresses,
            clock,
        }
    }

    /// Files a report of `paste` from `client` (as `Clients` names it),
    /// read by `reader`. The paste must be one this reader can see (a
    /// private paste of someone else is as missing here as anywhere); the
    /// fields are checked before the client's report token is spent.
    pub(crate) async fn file(
        &self,
        paste: &PasteId,
        draft: ReportDraft<'_>,
        client: &str,
        reader: Option<&AuthorSummary>,
    ) -> Result<Report, AppError> {
        let category = Category::parse(draft.reason).ok_or(ValidationError::InvalidReport(
            "choose one of the listed reasons",
        ))?;
        let details = match draft.details.trim() {
            "" => None,
            text => Some(Note::parse(text).ok_or(ValidationError::InvalidReport(
                "the details are at most 1000 characters of text",
            ))?),
        };
        // Exists and is readable by this reader; nothing is counted or spent.
        self.pastes.read_quietly(paste, reader).await?;
        self.limiter.take(&[(Limit::Reports, client)]).await?;
        let mut report = Report {
            id: PasteId::random(REPORT_ID_CHARS),
            paste: paste.clone(),
            category,
            details,
            client: self.addresses.tag(client),
            at: self.clock.now_millis(),
            resolution: None,
        };
        for _ in 0..ID_ATTEMPTS {
            match self.operator.insert_report(&report).await {
                Ok(()) => {
                    tracing::info!(report = %report.id, paste = %paste, %category, "paste reported");
                    return Ok(report);
                }
                Err(StoreError::Conflict) => report.id = PasteId::random(REPORT_ID_CHARS),
                Err(e) => return Err(e.into()),
            }
        }
        Err(AppError::Internal(anyhow::anyhow!(
            "{ID_ATTEMPTS} report ids in a row were taken"
        )))
    }
}
