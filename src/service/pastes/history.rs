//! A paste's history: its revisions listed, one read, two compared. The
//! list is a store read; a revision and a diff are cached objects
//! (`views::history`: immutable, read only after the paste's own coherent
//! view), rendered in the render processes like a paste's page. Who may
//! see the paste may see its history, and no one else learns it exists.

use super::PasteService;
use super::read::readable_by;
use crate::cache::keys;
use crate::domain::{AuthorSummary, Paste, PasteId, Revision, RevisionLine, Visibility};
use crate::error::AppError;
use crate::render::{Fallback, Kind, diff, lines};
use crate::service::views::{DiffView, PasteView, RevisionView, ShownHunk, ShownLine};

/// Longest a diff page's diff may take (then it is coarser, never late).
const DIFF_TIME: std::time::Duration = std::time::Duration::from_secs(1);

/// The history of a paste: the paste, and every revision kept, latest first.
#[derive(Debug)]
pub(crate) struct History {
    /// The paste as it is now.
    pub(crate) paste: Box<Paste>,
    /// Its revisions kept, the latest (the paste itself) first.
    pub(crate) lines: Vec<RevisionLine>,
}

/// What a revision is read for: its bytes (raw, API) or its page, which
/// needs its render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    /// The text only.
    Text,
    /// The text and its render.
    Page,
}

/// A revision read, with its paste's latest revision number.
#[derive(Debug)]
pub(crate) struct Shown {
    /// The revision.
    pub(crate) revision: RevisionView,
    /// The latest revision of its paste.
    pub(crate) latest: u64,
}

impl PasteService {
    /// The paste, if `reader` may see it. A paste with a view limit has no
    /// history to show (looking would be a read that spends no view), nor a
    /// sealed one (password, end-to-end): none of them is ever edited.
    async fn historic(
        &self,
        id: &PasteId,
        reader: Option<&AuthorSummary>,
    ) -> Result<Paste, AppError> {
        Some(self.find_live(id, self.clock.now()).await?)
            .filter(|p| {
                readable_by(p, reader)
                    && p.view_limit().is_none()
                    && p.fields.lock.is_none()
                    && !p.fields.end_to_end
            })
            .ok_or(AppError::NotFound)
    }

    /// Every revision kept of `id`, latest first.
    pub(crate) async fn history(
        &self,
        id: &PasteId,
        reader: Option<&AuthorSummary>,
    ) -> Result<History, AppError> {
        let paste = self.historic(id, reader).await?;
        let mut lines = self.store.paste_revisions(id).await?;
        lines.push(RevisionLine {
            mark: paste.latest_revision(),
            size_bytes: paste.fields.content.len() as u64,
        });
        lines.reverse();
        Ok(History {
            paste: Box::new(paste),
            lines,
        })
    }

    /// Revision `number` of `id` (the latest is the paste itself), cache
    /// first: the paste's view (one cached object) says it is there and
    /// readable by `reader`, then the revision's own cached view answers; a
    /// revision read twice reads the store once.
    pub(crate) async fn revision(
        &self,
        id: &PasteId,
        number: u64,
        reader: Option<&AuthorSummary>,
        want: Want,
    ) -> Result<Shown, AppError> {
        let view = self.historic_view(id, reader).await?;
        let revision = self.revision_in(&view, number, want).await?;
        Ok(Shown {
            revision,
            latest: view.meta.revision,
        })
    }

    /// The paste's view (cache first), if `reader` may see its history:
    /// never that of a counted or sealed paste (see `historic`). The view is
    /// coherent fleet-wide, so a paste deleted or swept is gone here on
    /// every clone before its cached revisions could be read.
    async fn historic_view(
        &self,
        id: &PasteId,
        reader: Option<&AuthorSummary>,
    ) -> Result<PasteView, AppError> {
        let view = self.read_quietly(id, reader).await?;
        // A multi-file paste is never edited: it has no history, and the
        // history routes would show its first file alone.
        if view.meta.is_store_only() || view.meta.end_to_end || view.has_files() {
            return Err(AppError::NotFound);
        }
        Ok(view)
    }

    /// True when revision `number` of `view`'s paste may be cached: kept
    /// (within `limits.revisions_kept` of the latest: a trimmed one is
    /// never served from the cache), and not of a private paste (never
    /// cached, like its view).
    fn cacheable(&self, view: &PasteView, number: u64) -> bool {
        let latest = view.meta.revision;
        let oldest = latest.saturating_sub(self.rules.revisions_kept).max(1);
        view.meta.visibility != Visibility::Private && (oldest..=latest).contains(&number)
    }

    async fn revision_in(
        &self,
        view: &PasteView,
        number: u64,
        want: Want,
    ) -> Result<RevisionView, AppError> {
        let id = &view.meta.id;
        let latest = view.meta.revision;
        if number == 0 || number > latest {
            return Err(AppError::NotFound);
        }
        let key = self
            .cacheable(view, number)
            .then(|| keys::revision_view(id, born(view.meta.created_at), number));
        let cached = match &key {
            Some(key) => self.views.revision_view(key).await,
            None => None,
        };
        let fresh = cached.is_none();
        let mut revision = match cached {
            Some(revision) => revision,
            None => RevisionView::of(self.stored_revision(view, number).await?),
        };
        let mut changed = fresh;
        if want == Want::Page && !revision.is_rendered() {
            let language = revision.language.as_ref().map(|l| l.as_str());
            let title = revision.title.as_ref().map(|t| t.as_str());
            let (rendered, lasting) = self
                .render_revision(id, &revision.content, language, title)
                .await;
            if lasting {
                revision.rendered = Some(rendered);
                changed = true;
            } else {
                // Plain text for this read only: cached without it.
                let shown = RevisionView {
                    rendered: Some(rendered),
                    ..revision.clone()
                };
                if let (Some(key), true) = (&key, fresh) {
                    self.views.keep_revision_view(key, &revision).await;
                }
                return Ok(shown);
            }
        }
        if let (Some(key), true) = (&key, changed) {
            self.views.keep_revision_view(key, &revision).await;
        }
        Ok(revision)
    }

    /// Revision `number` from the store: an earlier one from `revisions`,
    /// the latest from the paste, if it is still the paste `view` shows
    /// (edited since, it is an earlier one now; deleted, it is gone), so
    /// no cache key ever holds another revision's text.
    async fn stored_revision(&self, view: &PasteView, number: u64) -> Result<Revision, AppError> {
        let id = &view.meta.id;
        if number == view.meta.revision {
            match self.store.find_paste(id, self.clock.now()).await? {
                Some(paste) if paste.fields.created_at != view.meta.created_at => {
                    return Err(AppError::NotFound);
                }
                Some(paste) if paste.revision_number() == number => {
                    return Ok(Revision::latest_of(&paste));
                }
                Some(_) => {}
                None => return Err(AppError::NotFound),
            }
        }
        self.store
            .find_revision(id, number)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Revisions `a` and `b` of `id` compared (`a` the older), each line
    /// highlighted as its revision's page shows it, the `+`/`-` marks
    /// beside; cached like the revisions (the diff of two numbers never
    /// changes), so a diff read twice reads neither the store nor the
    /// render processes the second time.
    pub(crate) async fn compare(
        &self,
        id: &PasteId,
        (a, b): (u64, u64),
        reader: Option<&AuthorSummary>,
    ) -> Result<DiffView, AppError> {
        let view = self.historic_view(id, reader).await?;
        let latest = view.meta.revision;
        if [a, b].iter().any(|n| *n == 0 || *n > latest) {
            return Err(AppError::NotFound);
        }
        let key = (self.cacheable(&view, a) && self.cacheable(&view, b))
            .then(|| keys::diff_view(id, born(view.meta.created_at), (a, b)));
        if let Some(key) = &key
            && let Some(diff) = self.views.diff_view(key).await
        {
            return Ok(diff);
        }
        let from = self.revision_in(&view, a, Want::Page).await?;
        let to = self.revision_in(&view, b, Want::Page).await?;
        // Plain text made for this read only (no render process free in
        // time) is not cached: the next read highlights it.
        let lasting = |r: &RevisionView| {
            r.rendered
                .as_ref()
                .is_some_and(|r| r.info.fallback != Some(Fallback::Busy))
        };
        let key = key.filter(|_| lasting(&from) && lasting(&to));
        let names = (format!("{id}/r/{a}"), format!("{id}/r/{b}"));
        let diff = tokio::task::spawn_blocking(move || shown_diff(&from, &to, &names))
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
        if let Some(key) = &key {
            self.views.keep_diff_view(key, &diff).await;
        }
        Ok(diff)
    }

    /// The history entries of `paste` (cached or not) that may be cached
    /// now, to forget when it goes: its kept revisions, and the diffs its
    /// pages link (each revision against the one before and the latest).
    pub(super) fn history_keys(&self, paste: &Paste) -> Vec<String> {
        let latest = paste.revision_number();
        let oldest = latest.saturating_sub(self.rules.revisions_kept).max(1);
        self.history_keys_of(paste, oldest..latest.saturating_add(1))
    }

    /// The history entries of revisions `numbers` of `paste`.
    pub(super) fn history_keys_of(
        &self,
        paste: &Paste,
        numbers: std::ops::Range<u64>,
    ) -> Vec<String> {
        let id = paste.id();
        let born = born(paste.fields.created_at);
        let latest = paste.revision_number();
        let mut keys = Vec::new();
        for n in numbers {
            keys.push(keys::revision_view(id, born, n));
            keys.push(keys::diff_view(id, born, (n.saturating_sub(1), n)));
            keys.push(keys::diff_view(id, born, (n, latest)));
        }
        keys
    }
}

/// A paste's birth as history keys name it (Unix milliseconds).
fn born(created_at: time::OffsetDateTime) -> i128 {
    created_at.unix_timestamp_nanos() / 1_000_000
}

/// The diff of two rendered revisions.
fn shown_diff(from: &RevisionView, to: &RevisionView, names: &(String, String)) -> DiffView {
    let (hunks, text) = diff::unified(from.text(), to.text(), (&names.0, &names.1), DIFF_TIME);
    let (old, new) = (cells(from), cells(to));
    let pick = |cells: &Option<Vec<&str>>, at: Option<usize>| {
        let cells = cells.as_ref()?;
        cells.get(at?.checked_sub(1)?).map(|c| (*c).to_owned())
    };
    let hunks = hunks
        .into_iter()
        .map(|hunk| ShownHunk {
            header: hunk.header,
            lines: hunk
                .lines
                .into_iter()
                .map(|line| {
                    let html = match line.sign {
                        '-' => pick(&old, line.old),
                        _ => pick(&new, line.new),
                    }
                    .unwrap_or_else(|| {
                        let mut html = String::with_capacity(line.text.len());
                        lines::escape_into(&mut html, &line.text);
                        html
                    });
                    ShownLine {
                        sign: line.sign,
                        old: line.old,
                        new: line.new,
                        html,
                    }
                })
                .collect(),
        })
        .collect();
    DiffView {
        from: from.mark.number,
        to: to.mark.number,
        hunks,
        text,
        highlighted: old.is_some() || new.is_some(),
    }
}

/// The highlighted lines of a revision's render, one per line of its text;
/// `None` for a render that is not numbered lines of code (Markdown, or
/// plain text) or does not match the text line for line.
fn cells(revision: &RevisionView) -> Option<Vec<&str>> {
    let rendered = revision.rendered.as_ref()?;
    if rendered.info.kind != Kind::Highlighted {
        return None;
    }
    let cells = diff::line_cells(rendered.html());
    (cells.len() == revision.text().lines().count()).then_some(cells)
}
