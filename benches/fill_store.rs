//! Fills an embedded store with many 1 KiB pastes through the service's own
//! store code, for the benchmark's "1,000,000 pastes already stored" scenario.
//!
//! `cargo run --release --example fill_store -- FOLDER COUNT`

use std::sync::Arc;
use std::time::Instant;

use pastebin::configuration::Synchronous;
use pastebin::domain::paste::now_millis;
use pastebin::domain::{Content, DeleteToken, NewPaste, Paste, PasteId, Visibility};
use pastebin::store::DocumentStore;
use pastebin::store::embedded::EmbeddedStore;

/// Concurrent inserters: enough to fill the writer's groups.
const TASKS: usize = 256;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: fill_store FOLDER COUNT";
    let folder = args.next().ok_or_else(|| anyhow::anyhow!(usage))?;
    let count: usize = args.next().ok_or_else(|| anyhow::anyhow!(usage))?.parse()?;
    // Loading is not what is measured: the commits need not reach the platter.
    let store: Arc<dyn DocumentStore> =
        Arc::new(EmbeddedStore::open(folder.as_ref(), Synchronous::Normal)?);
    let body = "the quick brown fox jumps over the lazy dog 0123456789 ABCDEFGH\n".repeat(16);
    let started = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            let (store, body) = (store.clone(), body.clone());
            tokio::spawn(async move {
                for _ in (task..count).step_by(TASKS) {
                    let paste = Paste::new(NewPaste {
                        id: PasteId::random(8),
                        content: Content::parse(body.clone(), usize::MAX)?,
                        title: None,
                        language: None,
                        visibility: Visibility::Public,
                        burn_after_read: false,
                        max_views: None,
                        lock: None,
                        created_at: now_millis(),
                        expires_at: None,
                        author: None,
                        delete_token_hash: DeleteToken::random().hash(),
                        end_to_end: false,
                        files: Vec::new(),
                    });
                    store.insert_paste(&paste).await?;
                }
                anyhow::Ok(())
            })
        })
        .collect();
    for task in tasks {
        task.await??;
    }
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "fill_store: {count} pastes in {seconds:.1} s ({:.0}/s)",
        count as f64 / seconds
    );
    Ok(())
}
