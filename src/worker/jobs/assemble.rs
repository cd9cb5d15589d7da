//! `assemble`: build a new paste's view and cache it before anyone reads it.

use time::OffsetDateTime;

use crate::domain::PasteId;
use crate::service::PasteView;
use crate::worker::Worker;

impl Worker {
    /// Caches the view of paste `id` (nothing if it is gone or burns on read).
    pub async fn assemble(&self, id: &str) -> Result<bool, String> {
        let Some(id) = PasteId::parse(id) else {
            return Ok(false); // not an id: nothing to do, ever
        };
        let found = self.store.find_paste(&id, OffsetDateTime::now_utc()).await;
        match found.map_err(|e| e.to_string())? {
            Some(paste) if !paste.fields.burn_after_read => {
                self.views.store_new(&PasteView::assemble(&paste)).await;
                Ok(true)
            }
            _ => Ok(false),
        }
    }
}
