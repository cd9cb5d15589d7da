//! Claiming an anonymous paste into an account with its delete token.

use crate::support::app::spawn_app;

#[tokio::test]
async fn a_signed_in_user_claims_an_anonymous_paste_with_its_delete_token() {
    let app = spawn_app().await;
    let anonymous = app.create_text("made before signing up").await;
    app.get_raw(&anonymous.id).await; // cached, anonymous
    let ada = app.signed_up("ada").await;
    let grace = app.signed_up("grace").await;
    let page = app.get_as(&ada, &format!("/{}", anonymous.id)).await;
    let page = page.text().await.expect("a page");
    assert!(
        page.contains("id=\"claim\""),
        "a signed-in reader is offered the claim"
    );
    let path = format!("/{}/claim", anonymous.id);
    let no_csrf = app
        .post_form_as(Some(&ada), &path, &[("delete_token", &anonymous.token)])
        .await;
    assert_eq!(no_csrf.status(), 403);
    let wrong = app
        .post_form_as(
            Some(&ada),
            &path,
            &[("delete_token", "wrong"), ("csrf_token", &ada.csrf)],
        )
        .await;
    assert_eq!(wrong.status(), 403);
    let anonymous_claim = app
        .post_form_as(None, &path, &[("delete_token", &anonymous.token)])
        .await;
    assert_eq!(anonymous_claim.status(), 401, "an account is needed");

    let claimed = app
        .post_form_as(
            Some(&ada),
            &path,
            &[
                ("delete_token", &anonymous.token),
                ("csrf_token", &ada.csrf),
            ],
        )
        .await;
    assert_eq!(claimed.status(), 303);
    let page = app.html(&format!("/{}", anonymous.id)).await.1;
    assert!(
        page.contains("<a class=\"author\" href=\"/u/ada\">ada</a>"),
        "the cached view names the author at once"
    );
    let user = app.get("/u/ada").await.1;
    assert!(user.contains(&anonymous.id), "listed on ada's page");
    assert!(user.contains("id=\"pastes-created\">1<"), "counted once");
    let again = app
        .post_form_as(
            Some(&grace),
            &path,
            &[
                ("delete_token", &anonymous.token),
                ("csrf_token", &grace.csrf),
            ],
        )
        .await;
    assert_eq!(again.status(), 409, "someone's already");
    let owner_page = app.get_as(&ada, &format!("/{}", anonymous.id)).await;
    assert!(
        owner_page
            .text()
            .await
            .expect("a page")
            .contains("owner-delete")
    );
}
