//! The lines of a user page say what the pastes' pages say.

use crate::support::app::spawn_app;

#[tokio::test]
async fn a_users_list_shows_the_language_its_pages_show_and_visibility_as_a_badge() {
    let app = spawn_app().await;
    let ada = app.signed_up("ada").await;
    for (title, visibility) in [("deploy.sh", "public"), ("query.sql", "unlisted")] {
        let response = app
            .post_form_as(
                Some(&ada),
                "/",
                &[
                    ("content", "select 1"),
                    ("title", title),
                    ("visibility", visibility),
                    ("csrf_token", &ada.csrf),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
    }
    let own = app
        .get_as(&ada, "/u/ada")
        .await
        .text()
        .await
        .expect("a page");
    assert!(own.contains("Bourne Again Shell (bash)"), "{own}");
    assert!(own.contains("class=\"language\">SQL<"), "{own}");
    assert!(!own.contains("plain text"), "{own}");
    assert!(
        own.contains("<span class=\"badge unlisted visibility\">unlisted</span>"),
        "{own}"
    );
}
