use std::time::Duration;

use pastebin::clock::Clock;
use pastebin::configuration::Seconds;

use crate::support::app::{TestPaste, spawn_with_clock};

#[tokio::test]
async fn an_expired_paste_is_404_at_once_everywhere_before_any_sweep() {
    // Only the sweep this test runs (the next automatic one is an hour away).
    let clock = Clock::manual(time::OffsetDateTime::now_utc());
    let app = spawn_with_clock(clock.clone(), |s| {
        s.jobs.sweep_interval_secs = Seconds::new(3600).expect("not zero")
    })
    .await;
    let created = TestPaste::new("fleeting").expires("1s").create(&app).await;
    assert_eq!(app.get_raw(&created.id).await.status(), 200);
    clock.advance(Duration::from_millis(1100));
    for path in ["/raw/", "/dl/", "/", "/api/v1/pastes/"] {
        assert_eq!(
            app.get(&format!("{path}{}", created.id)).await.0,
            404,
            "{path}"
        );
    }
    let never = app.create_text("stays").await;
    assert_eq!(
        app.worker.sweep().await.expect("swept"),
        1,
        "the sweep purges exactly the expired paste"
    );
    assert_eq!(app.get_raw(&never.id).await.status(), 200);
}
