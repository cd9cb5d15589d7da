use crate::support::app::{TestPaste, spawn_app};

#[tokio::test]
async fn burn_after_read_is_served_exactly_once_to_twenty_racing_readers() {
    let app = spawn_app().await;
    for round in 0..3 {
        let created = TestPaste::new(format!("secret {round}"))
            .burn()
            .create(&app)
            .await;
        let readers = (0..20).map(|i| {
            let client = app.client.clone();
            let path = if i % 2 == 0 { "raw" } else { "api/v1/pastes" };
            let url = app.url(&format!("/{path}/{}", created.id));
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
        let mut statuses = Vec::new();
        for reader in readers {
            statuses.push(reader.await.expect("joined"));
        }
        assert_eq!(
            statuses.iter().filter(|s| **s == 200).count(),
            1,
            "round {round}: {statuses:?}"
        );
        assert_eq!(
            statuses.iter().filter(|s| **s == 404).count(),
            19,
            "round {round}: {statuses:?}"
        );
    }
}
