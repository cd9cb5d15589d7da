//! The embedded document store: SQLite in WAL mode on local disk, holding each
//! paste as a BSON document beside indexed copies of the fields queries use.
//!
//! Zero setup and durable (an acknowledged paste survives `kill -9`), and shared
//! safely by several processes on one machine (clones and a worker opening the
//! same folder). It is not a fleet backend: the machine is a single point of
//! failure; configure MongoDB for that.
//!
//! Reads run on the calling thread with a pooled read connection: a lookup by
//! primary key takes microseconds and WAL readers never wait for the writer.
//! Writes go to the process's one writer thread (`writer`), which commits them
//! in groups.

mod archive;
mod forks;
mod operator;
mod revisions;
mod schema;
mod statements;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use async_trait::async_trait;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};

use self::writer::{NewRow, Write, unavailable};
use super::{DocumentStore, ForkCount, StoreError, VisitCount, While, document};
use crate::configuration::Synchronous;
use crate::domain::{
    ApiToken, AuthorSummary, EditOutcome, ForkSummary, PageRequest, Paste, PasteEdit, PasteId,
    PasteSummary, Revision, RevisionLine, Search, TokenId, User, UserId, Username, Visibility,
};

/// File name of the database inside `store.path`.
const FILE_NAME: &str = "pastebin.sqlite3";

/// Read connections kept for reuse; more are opened under load and closed after.
const MAX_IDLE_READERS: usize = 16;

/// Writes waiting for the writer thread before callers wait for room.
const WRITE_QUEUE: usize = 4096;

/// The embedded backend.
pub struct EmbeddedStore {
    file: PathBuf,
    synchronous: Synchronous,
    writes: mpsc::Sender<Write>,
    readers: Mutex<Vec<Connection>>,
}

pub(super) fn millis(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// Opens the write connection and migrates. Processes starting together on a
/// new store race for the switch to WAL, which takes the database exclusively
/// and does not wait for a busy lock: the loser retries for a while.
fn open_writer(file: &Path, synchronous: Synchronous) -> Result<Connection, StoreError> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let attempt = Connection::open(file).and_then(|conn| {
            schema::configure(&conn, synchronous)?;
            schema::migrate(&conn)?;
            Ok(conn)
        });
        match attempt {
            Ok(conn) => return Ok(conn),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(e) => return Err(unavailable(e)),
        }
    }
}

impl EmbeddedStore {
    /// Opens (creating if needed) the store in `folder` and starts its writer.
    pub fn open(folder: &Path, synchronous: Synchronous) -> Result<Self, StoreError> {
        std::fs::create_dir_all(folder).map_err(|e| {
            StoreError::unavailable(While::doing(
                format!("creating the store folder {}", folder.display()),
                e,
            ))
        })?;
        let file = folder.join(FILE_NAME);
        let conn = open_writer(&file, synchronous)?;
        let (writes, rx) = mpsc::channel(WRITE_QUEUE);
        std::thread::Builder::new()
            .name("store-writer".into())
            .spawn(move || writer::run(conn, rx))
            .map_err(|e| StoreError::unavailable(While::doing("starting the writer thread", e)))?;
        Ok(Self {
            file,
            synchronous,
            writes,
            readers: Mutex::new(Vec::new()),
        })
    }

    /// Where the database file is.
    pub(crate) fn file(&self) -> &Path {
        &self.file
    }

    fn reader(&self) -> Result<Connection, StoreError> {
        let pooled = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        if let Some(conn) = pooled {
            return Ok(conn);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&self.file, flags).map_err(unavailable)?;
        schema::configure(&conn, self.synchronous).map_err(unavailable)?;
        Ok(conn)
    }

    fn read<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, StoreError> {
        let conn = self.reader()?;
        let result = f(&conn).map_err(unavailable);
        let mut idle = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < MAX_IDLE_READERS {
            idle.push(conn);
        }
        result
    }

    async fn write<T>(
        &self,
        make: impl FnOnce(oneshot::Sender<Result<T, StoreError>>) -> Write,
    ) -> Result<T, StoreError> {
        let (tx, rx) = oneshot::channel();
        self.writes
            .send(make(tx))
            .await
            .map_err(|_| StoreError::unavailable("the store writer has stopped"))?;
        rx.await
            .map_err(|_| StoreError::unavailable("the store writer dropped a write"))?
    }
}

#[async_trait]
impl DocumentStore for EmbeddedStore {
    fn backend(&self) -> &'static str {
        "embedded"
    }

    async fn insert_paste(&self, paste: &Paste) -> Result<(), StoreError> {
        let f = &paste.fields;
        let row = NewRow {
            id: f.id.as_str().to_owned(),
            author_id: f.author.as_ref().map(|a| a.id.as_str().to_owned()),
            created_ms: millis(f.created_at),
            expires_ms: f.expires_at.map(millis),
            doc: document::encode(paste)?,
            forked_from: paste.forked_from.as_ref().map(|o| o.id.as_str().to_owned()),
            listed_language: archive::listed_language(paste),
            client: paste.client.clone(),
        };
        self.write(|reply| Write::Insert { row, reply }).await
    }

    async fn find_paste(
        &self,
        id: &PasteId,
        now: OffsetDateTime,
    ) -> Result<Option<Paste>, StoreError> {
        let bytes: Option<Vec<u8>> =
            self.read(|conn| {
                conn.prepare_cached(
                "SELECT doc FROM pastes WHERE id = ?1 AND (expires_at IS NULL OR expires_at > ?2)",
            )?
            .query_row(rusqlite::params![id.as_str(), millis(now)], |row| row.get(0))
            .optional()
            })?;
        bytes.as_deref().map(document::decode).transpose()
    }

    async fn take_paste(
        &self,
        id: &PasteId,
        now: OffsetDateTime,
    ) -> Result<Option<Paste>, StoreError> {
        let id = id.as_str().to_owned();
        let now_ms = millis(now);
        let bytes = self
            .write(|reply| Write::Take { id, now_ms, reply })
            .await?;
        bytes.as_deref().map(document::decode).transpose()
    }

    async fn delete_paste(&self, id: &PasteId) -> Result<bool, StoreError> {
        let id = id.as_str().to_owned();
        self.write(|reply| Write::Delete { id, reply }).await
    }

    async fn edit_paste(
        &self,
        edit: &PasteEdit,
        now: OffsetDateTime,
    ) -> Result<EditOutcome, StoreError> {
        let edit = Box::new(edit.clone());
        let now_ms = millis(now);
        self.write(|reply| Write::Edit {
            edit,
            now_ms,
            reply,
        })
        .await
    }

    async fn paste_revisions(&self, id: &PasteId) -> Result<Vec<RevisionLine>, StoreError> {
        let rows = self.read(|conn| revisions::lines(conn, id.as_str()))?;
        revisions::decode_lines(&rows)
    }

    async fn find_revision(
        &self,
        id: &PasteId,
        number: u64,
    ) -> Result<Option<Revision>, StoreError> {
        let Ok(number) = i64::try_from(number) else {
            return Ok(None);
        };
        let row = self.read(|conn| revisions::one(conn, id.as_str(), number))?;
        row.as_deref().map(revisions::decode_one).transpose()
    }

    async fn add_visits(&self, batch: &str, visits: &[VisitCount]) -> Result<bool, StoreError> {
        let (batch, visits) = (batch.to_owned(), visits.to_vec());
        let now_ms = millis(OffsetDateTime::now_utc());
        self.write(|reply| Write::Visits {
            batch,
            now_ms,
            visits,
            reply,
        })
        .await
    }

    async fn purge_expired(&self, now: OffsetDateTime) -> Result<Vec<PasteId>, StoreError> {
        let now_ms = millis(now);
        let ids = self.write(|reply| Write::Purge { now_ms, reply }).await?;
        Ok(ids.iter().filter_map(|id| PasteId::parse(id)).collect())
    }

    async fn insert_user(&self, user: &User) -> Result<(), StoreError> {
        let doc = document::to_bytes(&document::UserDocument::from(user))?;
        let (id, username) = (
            user.id.as_str().to_owned(),
            user.username.as_str().to_owned(),
        );
        self.write(|reply| Write::InsertUser {
            id,
            username,
            doc,
            reply,
        })
        .await
    }

    async fn find_user(&self, username: &Username) -> Result<Option<User>, StoreError> {
        let bytes: Option<Vec<u8>> = self.read(|conn| {
            conn.prepare_cached("SELECT doc FROM users WHERE username = ?1")?
                .query_row([username.as_str()], |row| row.get(0))
                .optional()
        })?;
        bytes
            .map(|b| document::from_bytes::<document::UserDocument>(&b).and_then(User::try_from))
            .transpose()
    }

    async fn author_pastes(
        &self,
        author_id: &UserId,
        page: &PageRequest,
        now: OffsetDateTime,
    ) -> Result<Vec<PasteSummary>, StoreError> {
        self.author_lines(author_id, page, now, None)
    }

    async fn author_search(
        &self,
        author_id: &UserId,
        search: &Search,
        page: &PageRequest,
        now: OffsetDateTime,
    ) -> Result<Vec<PasteSummary>, StoreError> {
        self.author_lines(author_id, page, now, Some(search))
    }

    async fn public_pastes(
        &self,
        search: &Search,
        page: &PageRequest,
        now: OffsetDateTime,
    ) -> Result<Vec<PasteSummary>, StoreError> {
        self.archive_page(search, page, millis(now))
    }

    async fn claim_paste(
        &self,
        id: &PasteId,
        author: &AuthorSummary,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let (id, author_id, username) = (
            id.as_str().to_owned(),
            author.id.as_str().to_owned(),
            author.username.as_str().to_owned(),
        );
        let now_ms = millis(now);
        self.write(|reply| Write::Claim {
            id,
            author_id,
            username,
            now_ms,
            reply,
        })
        .await
    }

    async fn paste_forks(
        &self,
        original: &PasteId,
        viewer: Option<&UserId>,
        page: &PageRequest,
        now: OffsetDateTime,
    ) -> Result<Vec<ForkSummary>, StoreError> {
        self.forks_page(original, viewer, page, millis(now))
    }

    async fn recount_forks(
        &self,
        original: &PasteId,
        now: OffsetDateTime,
    ) -> Result<Option<ForkCount>, StoreError> {
        let (id, now_ms) = (original.as_str().to_owned(), millis(now));
        self.write(|reply| Write::RecountForks { id, now_ms, reply })
            .await
    }

    async fn orphan_forks(&self, original: &PasteId) -> Result<Vec<PasteId>, StoreError> {
        let id = original.as_str().to_owned();
        let ids = self.write(|reply| Write::OrphanForks { id, reply }).await?;
        Ok(ids.iter().filter_map(|id| PasteId::parse(id)).collect())
    }

    async fn insert_token(&self, token: &ApiToken) -> Result<(), StoreError> {
        let doc = document::to_bytes(&document::TokenDocument::from(token))?;
        let (id, user_id) = (
            token.id.as_str().to_owned(),
            token.user.id.as_str().to_owned(),
        );
        self.write(|reply| Write::InsertToken {
            id,
            user_id,
            doc,
            reply,
        })
        .await
    }

    async fn find_token(&self, id: &TokenId) -> Result<Option<ApiToken>, StoreError> {
        let bytes: Option<Vec<u8>> = self.read(|conn| {
            conn.prepare_cached("SELECT doc FROM api_tokens WHERE id = ?1")?
                .query_row([id.as_str()], |row| row.get(0))
                .optional()
        })?;
        bytes
            .map(|b| {
                document::from_bytes::<document::TokenDocument>(&b).and_then(ApiToken::try_from)
            })
            .transpose()
    }

    async fn user_tokens(&self, user: &UserId) -> Result<Vec<ApiToken>, StoreError> {
        let docs: Vec<Vec<u8>> = self.read(|conn| {
            let mut stmt = conn
                .prepare_cached("SELECT doc FROM api_tokens WHERE user_id = ?1 ORDER BY rowid")?;
            let rows = stmt.query_map([user.as_str()], |row| row.get(0))?;
            rows.collect()
        })?;
        docs.iter()
            .map(|b| {
                document::from_bytes::<document::TokenDocument>(b).and_then(ApiToken::try_from)
            })
            .collect()
    }

    async fn delete_token(&self, user: &UserId, id: &TokenId) -> Result<bool, StoreError> {
        let (id, user_id) = (id.as_str().to_owned(), user.as_str().to_owned());
        self.write(|reply| Write::DeleteToken { id, user_id, reply })
            .await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.read(|conn| {
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| {
                row.get::<_, i64>(0)
            })
        })?;
        if self.writes.is_closed() {
            return Err(StoreError::unavailable("the store writer has stopped"));
        }
        Ok(())
    }

    fn indexes_missing(&self) -> Option<String> {
        None // made with the schema, when the store opens
    }
}

impl EmbeddedStore {
    /// `author_pastes`, and with a search its lines that match (the same
    /// index range, filtered here: an author's own pastes are few).
    fn author_lines(
        &self,
        author_id: &UserId,
        page: &PageRequest,
        now: OffsetDateTime,
        search: Option<&Search>,
    ) -> Result<Vec<PasteSummary>, StoreError> {
        // The cursor compares (created_at, id) as a row value, which the index
        // (author_id, created_at DESC, id DESC) serves as a range: the scan
        // starts right after the cursor and stops once the page is full. (One
        // statement with "no cursor OR after it" would lose that range, so
        // the first page has a statement of its own.) Visibility is in the
        // document, not in a column, so hidden pastes are skipped here.
        const FIRST: &str = "SELECT doc FROM pastes
             WHERE author_id = ?1 AND (expires_at IS NULL OR expires_at > ?2)
             ORDER BY created_at DESC, id DESC";
        const NEXT: &str = "SELECT doc FROM pastes
             WHERE author_id = ?1 AND (expires_at IS NULL OR expires_at > ?2)
               AND (created_at, id) < (?3, ?4)
             ORDER BY created_at DESC, id DESC";
        let limit = page.capped_limit();
        let now_ms = millis(now);
        self.read(|conn| {
            let (mut stmt, mut rows);
            match &page.after {
                None => {
                    stmt = conn.prepare_cached(FIRST)?;
                    rows = stmt.query(rusqlite::params![author_id.as_str(), now_ms])?;
                }
                Some(after) => {
                    stmt = conn.prepare_cached(NEXT)?;
                    rows = stmt.query(rusqlite::params![
                        author_id.as_str(),
                        now_ms,
                        millis(after.created_at),
                        after.id.as_str()
                    ])?;
                }
            }
            let mut lines = Vec::with_capacity(limit.min(100));
            // A search is matched row by row: bounded like the archive's
            // (`archive::MAX_SCANNED`), so one request never reads all of
            // a prolific author's pastes.
            let mut scanned = 0;
            while lines.len() < limit && scanned < archive::MAX_SCANNED {
                let Some(row) = rows.next()? else { break };
                scanned += usize::from(search.is_some());
                let bytes = row.get_ref(0)?.as_blob().map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        0,
                        rusqlite::types::Type::Blob,
                        e.into(),
                    )
                })?;
                let line = document::from_bytes::<document::SummaryDocument>(bytes);
                if let (Ok(line), Some(search)) = (&line, search)
                    && !search.matches(&line.title_words, line.shown_language.as_deref())
                {
                    continue;
                }
                match line.and_then(PasteSummary::try_from) {
                    Ok(line) if page.public_only && line.visibility != Visibility::Public => {}
                    line => lines.push(line),
                }
            }
            Ok(lines)
        })?
        .into_iter()
        .collect()
    }
}
