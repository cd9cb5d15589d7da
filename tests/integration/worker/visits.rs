use serde_json::Value;

use crate::support::app::spawn_clones;
use crate::support::redis::RedisServer;

#[tokio::test]
async fn visits_made_on_two_clones_add_up_exactly() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |_| {}).await;
    let created = a.create_text("popular").await;
    let reads = (0..50).map(|i| {
        let app = if i < 30 { &a } else { &b };
        let (client, url) = (app.client.clone(), app.url(&format!("/raw/{}", created.id)));
        tokio::spawn(async move {
            client
                .get(url)
                .send()
                .await
                .expect("answered")
                .status()
                .as_u16()
        })
    });
    for read in reads {
        assert_eq!(read.await.expect("joined"), 200);
    }
    // Each clone counts its own visits and adds them to Redis in batches;
    // a fold takes what its own clone counted too.
    let folded = a.worker.fold_visits("fold-1").await.expect("folded")
        + b.worker.fold_visits("fold-2").await.expect("folded");
    assert_eq!(folded, 50);
    let (_, body) = b.get(&format!("/api/v1/pastes/{}/stats", created.id)).await;
    let stats: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(stats["total_views"], 50, "{stats}");
    assert_eq!(stats["monthly"][0]["views"], 50);
}

#[tokio::test]
async fn a_redelivered_fold_counts_nothing_twice() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |_| {}).await;
    let created = a.create_text("counted once").await;
    for _ in 0..4 {
        a.get(&format!("/raw/{}", created.id)).await;
    }
    // The fold ran to the end, but its worker died before acknowledging it...
    assert_eq!(a.worker.fold_visits("fold-7").await.expect("folded"), 4);
    for _ in 0..2 {
        a.get(&format!("/raw/{}", created.id)).await;
    }
    // ...so the queue hands the same job to another worker.
    assert_eq!(
        b.worker.fold_visits("fold-7").await.expect("folded again"),
        0
    );
    // The two later visits wait for the next fold, not lost in the old batch.
    assert_eq!(a.worker.fold_visits("fold-8").await.expect("folded"), 2);
    let (_, body) = a.get(&format!("/api/v1/pastes/{}/stats", created.id)).await;
    let stats: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(stats["total_views"], 6, "{stats}");
}

#[tokio::test]
async fn the_statistics_page_draws_a_chart_of_the_months() {
    let redis = RedisServer::start().await;
    let (a, _b) = spawn_clones(&redis.url(), |_| {}).await;
    let created = a.create_text("charted").await;
    for _ in 0..3 {
        a.get(&format!("/raw/{}", created.id)).await;
    }
    a.worker.fold_visits("fold-chart").await.expect("folded");
    let (status, html) = a.get(&format!("/{}/stats", created.id)).await;
    assert_eq!(status, 200);
    assert!(html.contains("<svg") && html.contains("<rect"), "{html}");
    assert!(
        html.contains(r#"<span id="total-views">3</span>"#),
        "{html}"
    );
    assert_eq!(a.get("/AAAAAAAA/stats").await.0, 404);
}
