//! `pastebin migrate`: it opens the store alone and says the truth about the
//! schema, exiting non-zero when any index could not be created.

use std::process::Command;

fn migrate(env: &[(&str, &str)]) -> (bool, String) {
    let dir = tempfile::tempdir().expect("a folder");
    let output = Command::new(env!("CARGO_BIN_EXE_pastebin"))
        .arg("migrate")
        .env("PASTEBIN__STORE__PATH", dir.path())
        .env("PASTEBIN__LOG__FORMAT", "json")
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs");
    let mut said = String::from_utf8_lossy(&output.stdout).into_owned();
    said.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.success(), said)
}

#[test]
fn migrate_opens_the_embedded_store_alone_even_with_redis_unreachable() {
    // Nothing listens on port 1: migrate must not need the cache or the queue.
    let (ok, said) = migrate(&[("PASTEBIN__REDIS__URL", "redis://127.0.0.1:1")]);
    assert!(ok, "{said}");
    assert!(said.contains("schema and indexes are in place"), "{said}");
    assert!(said.contains("embedded"), "{said}");
}

#[test]
fn migrate_fails_when_mongodb_cannot_be_reached() {
    let (ok, said) = migrate(&[
        (
            "PASTEBIN__MONGODB__URI",
            "mongodb://127.0.0.1:1/?directConnection=true",
        ),
        ("PASTEBIN__MONGODB__SERVER_SELECTION_TIMEOUT_MS", "300"),
    ]);
    assert!(!ok, "{said}");
    assert!(said.contains("creating the MongoDB indexes"), "{said}");
    assert!(!said.contains("in place"), "{said}");
}

/// A fresh database on the server named by `PASTEBIN_TEST_MONGODB_URI` whose
/// `pastes` hold an index under the TTL index's name without its TTL: its
/// URI, name and handle.
async fn database_with_an_index_in_the_way() -> (String, String, mongodb::Database) {
    let uri = std::env::var("PASTEBIN_TEST_MONGODB_URI").expect("a MongoDB");
    let database = format!("pastebin_test_{}", uuid::Uuid::new_v4().simple());
    let client = mongodb::Client::with_uri_str(&uri).await.expect("a client");
    let db = client.database(&database);
    let in_the_way = mongodb::IndexModel::builder()
        .keys(bson::doc! { "expires_at": 1 })
        .options(
            mongodb::options::IndexOptions::builder()
                .name("expires_at_ttl".to_owned())
                .build(),
        )
        .build();
    db.collection::<bson::Document>("pastes")
        .create_index(in_the_way)
        .await
        .expect("an index without a TTL, under the TTL index's name");
    (uri, database, db)
}

/// An index of the same name with other options makes `createIndexes` fail
/// while the server answers pings: the case the forgiving start-up path only
/// logged, after which migrate claimed the indexes were in place.
#[tokio::test]
#[cfg_attr(
    not(mongodb_tests),
    ignore = "set PASTEBIN_TEST_MONGODB_URI to a MongoDB replica set to run"
)]
async fn migrate_exits_non_zero_when_an_index_is_not_created() {
    let (uri, database, db) = database_with_an_index_in_the_way().await;
    let (ok, said) = tokio::task::spawn_blocking(move || {
        migrate(&[
            ("PASTEBIN__MONGODB__URI", uri.as_str()),
            ("PASTEBIN__MONGODB__DATABASE", database.as_str()),
        ])
    })
    .await
    .expect("migrate ran");
    let _ = db.drop().await;
    assert!(!ok, "migrate must fail: {said}");
    assert!(!said.contains("in place"), "{said}");
}

/// A process that could not create its indexes at start (MongoDB down, or an
/// index in the way) says "indexes missing" in `/readyz`, still serves, and
/// keeps trying in the background until they exist. The index in the way
/// fails `createIndexes` while pings answer, as a MongoDB that comes back
/// after the process started would look to it.
#[tokio::test]
#[cfg_attr(
    not(mongodb_tests),
    ignore = "set PASTEBIN_TEST_MONGODB_URI to a MongoDB replica set to run"
)]
async fn indexes_missing_at_start_are_reported_and_created_once_possible() {
    use pastebin::configuration::MongoUri;
    let (uri, database, db) = database_with_an_index_in_the_way().await;
    let pastes = db.collection::<bson::Document>("pastes");
    let app = crate::support::app::spawn_with(|s| {
        s.mongodb.uri = Some(MongoUri::parse(&uri).expect("a MongoDB URI"));
        s.mongodb.database = database.clone();
    })
    .await;
    let (status, body) = app.get("/readyz").await;
    assert_eq!(status, 200, "still serving: {body}");
    assert!(
        body.contains("\"degraded\"") && body.contains("indexes missing"),
        "{body}"
    );
    assert_eq!(app.create_text("stored meanwhile").await.id.len(), 8);

    pastes.drop_index("expires_at_ttl").await.expect("dropped");
    let mut ready = String::new();
    // Attempts back off to one every 30 s: give it two of them.
    for _ in 0..300 {
        let (_, body) = app.get("/readyz").await;
        if !body.contains("indexes missing") {
            ready = body;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let names: Vec<String> = pastes.list_index_names().await.expect("indexes");
    let _ = db.drop().await;
    assert!(
        ready.contains("\"ready\""),
        "indexes made in the background: {ready}"
    );
    assert!(names.iter().any(|n| n == "expires_at_ttl"), "{names:?}");
    assert!(
        names.iter().any(|n| n == "author_newest_first"),
        "{names:?}"
    );
}
