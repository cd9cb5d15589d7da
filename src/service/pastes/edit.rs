//! Editing a paste: its signed-in author, or the holder of its delete token,
//! changes content, title, language, visibility or expiry. Each edit is a
//! new numbered revision (the store keeps the one it replaces), made only
//! from the revision the editor saw (compare-and-set: a stale edit is 409,
//! a retried one makes no second revision).
//!
//! The edit is answered once every clone shows the new revision: the cached
//! view is replaced (or, made private, removed) and the answer waits for
//! the fence, so no near tier serves the old text after it. The new
//! revision's render is queued for a worker, as a creation's is.

use super::PasteService;
use super::read::{is_author, readable_by};
use crate::cache::near::Fence;
use crate::domain::{
    AuthorSummary, Content, DeleteToken, EditOutcome, Expiry, Language, Paste, PasteEdit, PasteId,
    RevisionMark, Title, ValidationError, Visibility,
};
use crate::error::{AppError, RequestError};
use crate::service::draft::DraftContent;
use crate::service::rate_limit::{Limit, RateStatus};
use crate::service::views::{PasteView, ViewMeta};

/// Longest a diff for the line counts may take; past it the counts are
/// those of a coarser diff (`similar` gives up on finding the minimal one).
const DIFF_TIME: std::time::Duration = std::time::Duration::from_millis(500);

/// An edit as it arrives from a surface: every field unchecked, and one
/// left out keeps what the paste has.
#[derive(Debug, Clone, Default)]
pub(crate) struct EditDraft {
    /// The revision the editor saw; left out, the latest (then the edit
    /// still cannot make two revisions, but may overwrite one it never saw).
    pub(crate) revision: Option<String>,
    /// New text.
    pub(crate) content: Option<DraftContent>,
    /// New title; blank removes it.
    pub(crate) title: Option<String>,
    /// New language; blank removes it.
    pub(crate) language: Option<String>,
    /// New visibility; blank keeps it.
    pub(crate) visibility: Option<String>,
    /// New life from now (`never`, `1h`...); blank or `keep` keeps it.
    pub(crate) expires: Option<String>,
}

/// Who edits: the signed-in user, the delete token they hold, and the
/// client whose edit budget it spends.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Editor<'a> {
    /// The signed-in user (session or API token), if any.
    pub(crate) user: Option<&'a AuthorSummary>,
    /// A delete token, if one was sent.
    pub(crate) delete_token: Option<&'a str>,
    /// The client (its address).
    pub(crate) client: &'a str,
}

impl PasteService {
    /// Edits `id` as `editor` may; the paste's new metadata.
    #[tracing::instrument(skip_all, fields(paste = %id))]
    pub(crate) async fn edit(
        &self,
        id: &PasteId,
        draft: EditDraft,
        editor: Editor<'_>,
    ) -> Result<(ViewMeta, RateStatus), AppError> {
        let now = self.clock.now_millis();
        let paste = self.editable(id, editor).await?;
        let edit = self.checked_edit(&paste, draft, editor).await?;
        let rate = self.limiter.take(&[(Limit::Edits, editor.client)]).await?;
        let edited = match self.store.edit_paste(&edit, now).await? {
            EditOutcome::Edited(edited) => edited,
            EditOutcome::Stale { current } => return Err(AppError::StaleRevision { current }),
            EditOutcome::Missing => return Err(AppError::NotFound),
        };
        tracing::info!(revision = edited.revision_number(), "edited");
        let fence = self.show_everywhere(&edited).await;
        self.author_changed(&edited).await;
        if paste.is_listed() && !edited.is_listed() {
            self.archive_changed().await;
        }
        fence.wait().await;
        // Revisions the edit trimmed (past `limits.revisions_kept`): the new
        // view already says they are not kept, so no clone serves them from
        // the cache; this frees their memory.
        let keep = self.rules.revisions_kept;
        let trimmed = edit.base.saturating_sub(keep).max(1)
            ..edited.revision_number().saturating_sub(keep).max(1);
        if !trimmed.is_empty() {
            self.views
                .forget(self.history_keys_of(&edited, trimmed))
                .await;
        }
        Ok((PasteView::meta_of(&edited), rate))
    }

    /// The paste, if `editor` may edit it: its author signed in, or the
    /// holder of its delete token. A paste the editor may not read is as
    /// missing as anywhere.
    pub(crate) async fn editable(
        &self,
        id: &PasteId,
        editor: Editor<'_>,
    ) -> Result<Paste, AppError> {
        let paste = self.find_live(id, self.clock.now()).await?;
        let hidden = |refusal: AppError| {
            if readable_by(&paste, editor.user) {
                refusal
            } else {
                AppError::NotFound
            }
        };
        match editor.delete_token.filter(|t| !t.trim().is_empty()) {
            Some(token) => {
                if !paste
                    .fields
                    .delete_token_hash
                    .verify(&DeleteToken::presented(token))
                {
                    return Err(hidden(AppError::WrongDeleteToken));
                }
            }
            None if is_author(&paste, editor.user) => {}
            None => return Err(hidden(AppError::MissingDeleteToken)),
        }
        // A counted paste is never cached, and an edit writes its view; a
        // sealed one (password, end-to-end) would take the new text in clear
        // beside the old ciphertext.
        if paste.view_limit().is_some() || paste.fields.lock.is_some() || paste.fields.end_to_end {
            return Err(AppError::NotEditable);
        }
        if !paste.fields.files.is_empty() {
            return Err(AppError::MultiFile);
        }
        Ok(paste)
    }

    /// The edit a draft makes of `paste`, every field checked against the
    /// rules of a creation, with its line counts.
    async fn checked_edit(
        &self,
        paste: &Paste,
        draft: EditDraft,
        editor: Editor<'_>,
    ) -> Result<PasteEdit, AppError> {
        let rules = &self.rules;
        let f = &paste.fields;
        let current = paste.revision_number();
        let base = match draft.revision.as_deref().map(str::trim) {
            None | Some("") => current,
            Some(text) => text
                .parse::<u64>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| RequestError::InvalidRevision(text.to_owned()))?,
        };
        let content = match draft.content {
            None => f.content.clone(),
            Some(DraftContent::Text(text)) => Content::parse(text, rules.max_paste_bytes)?,
            Some(DraftContent::Bytes(bytes)) => Content::from_bytes(bytes, rules.max_paste_bytes)?,
        };
        let title = match draft.title.as_deref() {
            None => f.title.clone(),
            Some(t) => Title::parse(t, rules.max_title_chars)?,
        };
        let language = match draft.language.as_deref() {
            None => f.language.clone(),
            Some(l) => Language::parse(l)?,
        };
        let visibility = match draft.visibility.as_deref().map(str::trim) {
            None | Some("") => f.visibility,
            Some(v) => Visibility::parse(v)?,
        };
        // Private is for a paste with an author, edited by that author.
        if visibility == Visibility::Private && !is_author(paste, editor.user) {
            return Err(ValidationError::PrivateNeedsAccount.into());
        }
        let now = self.clock.now_millis();
        let expires_at = match draft.expires.as_deref().map(str::trim) {
            None | Some("" | "keep") => f.expires_at,
            Some(text) => match Expiry::parse(text, rules.max_expiry, &rules.max_expiry_text)? {
                Expiry::Never => None,
                Expiry::After(life) => Some(
                    time::Duration::try_from(life)
                        .ok()
                        .and_then(|life| now.checked_add(life))
                        .ok_or_else(|| ValidationError::InvalidExpiry(text.to_owned()))?,
                ),
            },
        };
        let (lines_added, lines_removed) = line_changes(&f.content, &content).await;
        Ok(PasteEdit {
            id: f.id.clone(),
            base,
            content,
            title,
            language,
            visibility,
            expires_at,
            mark: RevisionMark {
                number: base.saturating_add(1),
                at: now,
                by: editor.user.cloned(),
                lines_added,
                lines_removed,
            },
            keep: rules.revisions_kept,
        })
    }

    /// Replaces the cached view with the edited paste's on every clone (or
    /// removes it, when it may not be cached any more), and queues its
    /// render: past the fence no clone shows the old revision.
    async fn show_everywhere(&self, edited: &Paste) -> Fence {
        let fence = if edited.fields.visibility == Visibility::Private {
            self.views.drop_view(edited.id()).await
        } else {
            self.views.refresh(&PasteView::assemble(edited)).await
        };
        if edited.fields.visibility != Visibility::Private {
            self.assemble_later(edited.id()).await;
        }
        fence
    }
}

/// Lines added and removed from `old` to `new`, on a blocking thread (a
/// diff of two large pastes is CPU work), bounded by `DIFF_TIME`.
pub(crate) async fn line_changes(old: &Content, new: &Content) -> (u64, u64) {
    let (old, new) = (old.as_str().to_owned(), new.as_str().to_owned());
    tokio::task::spawn_blocking(move || crate::render::diff::line_counts(&old, &new, DIFF_TIME))
        .await
        .unwrap_or((0, 0))
}
