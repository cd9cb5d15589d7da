//! Users and their pastes, written straight into an app's embedded store
//! (accounts have no HTTP surface yet). The app reads them as it would read
//! what another process of the same machine wrote.

use std::path::Path;

use pastebin::configuration::Synchronous;
use pastebin::domain::paste::now_millis;
use pastebin::domain::{
    AuthorSummary, Content, DeleteToken, NewPaste, Paste, PasteId, Title, User, UserId, UserStats,
    Username, Visibility,
};
use pastebin::store::DocumentStore;
use pastebin::store::embedded::EmbeddedStore;
use time::Duration;

/// The pastes stored for a user, newest first.
pub struct Seeded {
    /// Their public pastes, newest first.
    pub public: Vec<Paste>,
    /// Their unlisted pastes.
    pub unlisted: Vec<Paste>,
}

/// Stores `name` with `count` pastes, one a second back from now; every third
/// one is unlisted. Titles are `paste N` (N = 0 is the newest).
pub async fn seed(store_dir: &Path, name: &str, count: usize) -> Seeded {
    let store = EmbeddedStore::open(store_dir, Synchronous::Normal).expect("the store opens");
    let user = User {
        id: UserId::random(),
        username: Username::parse(name).expect("a valid name"),
        created_at: now_millis() - Duration::days(30),
        stats: UserStats::default(),
        password_hash: None,
    };
    store.insert_user(&user).await.expect("user stored");
    let mut seeded = Seeded {
        public: Vec::new(),
        unlisted: Vec::new(),
    };
    for n in 0..count {
        let visibility = if n % 3 == 2 {
            Visibility::Unlisted
        } else {
            Visibility::Public
        };
        let paste = Paste::new(NewPaste {
            id: PasteId::random(8),
            content: Content::parse(format!("content of paste {n}\n"), 1024).expect("valid"),
            title: Title::parse(&format!("paste {n}"), 200).expect("valid"),
            language: None,
            visibility,
            burn_after_read: false,
            max_views: None,
            lock: None,
            created_at: now_millis() - Duration::seconds(n as i64 + 1),
            expires_at: None,
            author: Some(AuthorSummary {
                id: user.id.clone(),
                username: Username::parse(name).expect("a valid name"),
            }),
            delete_token_hash: DeleteToken::random().hash(),
            end_to_end: false,
            files: Vec::new(),
        });
        store.insert_paste(&paste).await.expect("paste stored");
        match visibility {
            Visibility::Public => seeded.public.push(paste),
            _ => seeded.unlisted.push(paste),
        }
    }
    seeded
}
