//! Sessions through Sentinel: made on one clone, honoured and ended on both.

use crate::support::accounts::SignedIn;
use crate::support::app::TestApp;
use crate::support::sentinel::SentinelSet;

async fn signed_in_on(app: &TestApp, who: &SignedIn) -> bool {
    let page = app.get_as(who, "/").await.text().await.expect("a page");
    page.contains("signed in as")
}

#[tokio::test]
async fn a_session_made_on_one_clone_is_honoured_and_ended_on_both_through_sentinel() {
    let set = SentinelSet::start().await;
    let (a, b) = set.spawn_clones(|_| {}).await;
    let ada = a.signed_up("ada").await;
    assert!(signed_in_on(&b, &ada).await, "b finds a's session");
    let id = b.create_as(&ada, "made on b", "private").await;
    assert_eq!(a.get_as(&ada, &format!("/raw/{id}")).await.status(), 200);
    let out = b
        .post_form_as(Some(&ada), "/logout", &[("csrf_token", &ada.csrf)])
        .await;
    assert_eq!(out.status(), 303);
    assert!(!signed_in_on(&a, &ada).await, "ended on a too");
    assert!(!signed_in_on(&b, &ada).await);
}
