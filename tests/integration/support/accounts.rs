//! Accounts over HTTP, as a browser uses them: the forms, the session
//! cookie (kept by hand: the client keeps no cookies) and the CSRF token
//! that signed-in forms carry.

use crate::support::app::TestApp;

/// The password every test account uses.
pub const PASSWORD: &str = "correct horse battery";

/// A signed-in browser: its session cookie and its CSRF token.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The name signed in.
    pub username: String,
    /// `pb_session=...`, as a `Cookie` header sends it.
    pub cookie: String,
    /// The session's CSRF token, as its forms carry it.
    pub csrf: String,
}

/// The `pb_session=...` pair a response sets, if it sets one with a value.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|pair| pair.starts_with("pb_session=") && pair.len() > "pb_session=".len())
        .map(str::to_owned)
}

/// The whole `Set-Cookie` line of the session cookie.
pub fn session_set_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("pb_session="))
        .map(str::to_owned)
}

/// The value of the first `csrf_token` field of a page.
pub fn csrf_of(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf_token\" value=\"")? + "name=\"csrf_token\" value=\"".len();
    let end = html[at..].find('"')?;
    Some(html[at..at + end].to_owned())
}

impl TestApp {
    /// `POST path` with a urlencoded form, as `who` (or anonymously).
    pub async fn post_form_as(
        &self,
        who: Option<&SignedIn>,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(self.url(path))
            .header("Accept", "text/html")
            .form(fields);
        if let Some(who) = who {
            request = request.header("Cookie", &who.cookie);
        }
        request.send().await.expect("the app answers")
    }

    /// `GET path` as `who`'s browser.
    pub async fn get_as(&self, who: &SignedIn, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header("Cookie", &who.cookie)
            .header("accept", crate::support::app::BROWSER_ACCEPT)
            .send()
            .await
            .expect("the app answers")
    }

    /// `POST /signup`
    pub async fn sign_up(&self, username: &str, password: &str) -> reqwest::Response {
        self.post_form_as(
            None,
            "/signup",
            &[("username", username), ("password", password)],
        )
        .await
    }

    /// `POST /login`
    pub async fn log_in(&self, username: &str, password: &str) -> reqwest::Response {
        self.post_form_as(
            None,
            "/login",
            &[("username", username), ("password", password)],
        )
        .await
    }

    /// Signs `username` up with `PASSWORD` and returns the signed-in browser.
    pub async fn signed_up(&self, username: &str) -> SignedIn {
        let response = self.sign_up(username, PASSWORD).await;
        assert_eq!(response.status(), 303, "sign-up of {username}");
        self.session_of(username, &response).await
    }

    /// Logs `username` in with `PASSWORD`.
    pub async fn logged_in(&self, username: &str) -> SignedIn {
        let response = self.log_in(username, PASSWORD).await;
        assert_eq!(response.status(), 303, "log-in of {username}");
        self.session_of(username, &response).await
    }

    /// The browser a sign-up or log-in answer made: its cookie, and the CSRF
    /// token read from the form page, as a browser would find it.
    pub async fn session_of(&self, username: &str, response: &reqwest::Response) -> SignedIn {
        let cookie = session_cookie(response).expect("a session cookie is set");
        let mut who = SignedIn {
            username: username.to_owned(),
            cookie,
            csrf: String::new(),
        };
        let page = self.get_as(&who, "/").await;
        let html = page.text().await.expect("a page");
        who.csrf = csrf_of(&html).expect("the form of a signed-in user carries a csrf_token");
        who
    }

    /// Creates a paste from the form as `who`, with its CSRF token; the id.
    pub async fn create_as(&self, who: &SignedIn, content: &str, visibility: &str) -> String {
        let response = self
            .post_form_as(
                Some(who),
                "/",
                &[
                    ("content", content),
                    ("visibility", visibility),
                    ("csrf_token", &who.csrf),
                ],
            )
            .await;
        assert_eq!(response.status(), 303, "creation by {}", who.username);
        let location = response
            .headers()
            .get("Location")
            .and_then(|v| v.to_str().ok())
            .expect("a Location")
            .to_owned();
        location.trim_start_matches('/').to_owned()
    }
}
