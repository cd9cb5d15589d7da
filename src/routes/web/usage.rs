//! What a program is told at `GET /` (`curl https://host/`): every one-liner
//! of the shell surface, written with this server's public URL; and
//! `GET /robots.txt`.

use actix_web::HttpResponse;
use actix_web::http::header::{self, HeaderValue};

use crate::service::draft::Rules;

/// The usage text, with `base` (`server.public_url`) in every command.
pub(crate) fn text(base: &str, rules: &Rules) -> String {
    let max_expiry = &rules.max_expiry_text;
    let max_views = rules.max_views;
    let max_size = crate::domain::error::human_bytes(rules.max_paste_bytes);
    format!(
        "\
pastebin: {base}

CREATE (the answer is the paste's URL; `-i` shows its X-Delete-Token)
    cmd | curl --data-binary @- {base}/
    curl --data-binary @notes.txt {base}/
    curl -T notes.rs {base}/                  # the name gives title and language
    cmd | curl -F 'content=<-' {base}/
    curl -F 'content=<-' -F expires=1h {base}/ < notes.txt
    curl -F 'content=<-' -F burn_after_read=1 {base}/ < secret.txt
    curl -H \"Authorization: Bearer $TOKEN\" -F 'content=<-' -F visibility=private {base}/ < notes.txt
    curl -F 'content=<-' -F show_token=1 {base}/ < notes.txt     # line 2: the delete token
    curl --data-binary @notes.txt '{base}/?expires=1d&show_token=1'

  Fields (form fields with -F or -d; query parameters with -T and --data-binary):
    title, language (rust, python, ... or an extension: rs, py)
    expires           never (default), 10m, 1h, 1d, 1w, 30d, 1y, or 90s, 5m, 2h, 3d...
                      up to {max_expiry}; a bare number is hours (0x0's `expires=24`);
                      rustypaste's `Expire: 10min` header works too
    visibility        public (default), unlisted, private (needs an account)
    burn_after_read   1: deleted by its first read at /raw/ID
    end_to_end        1: content is an e2e-v1 envelope, encrypted by you (docs/encryption.md;
                      `pastebin paste --encrypt` makes one); served as it is, never rendered
    max_views         N: deleted by its N-th read at /raw/ID (up to {max_views})
    password          sealed at rest; read with -H 'X-Paste-Password: ...'
    show_token        1: the delete token on the answer's second line
  At most {max_size} of text. API tokens ($TOKEN): {base}/settings

READ
    curl {base}/ID                            # the text (a browser gets the page)
    curl {base}/raw/ID                        # the text; spends a burn-after-read paste
    {base}/ID.py                              # the page, highlighted as Python

DELETE
    curl -X DELETE -H 'X-Delete-Token: TOKEN' {base}/ID

JSON API: {base}/api
"
    )
}

/// The usage answer; `Vary: Accept`, since a browser gets the form here.
pub(crate) fn answer(base: &str, rules: &Rules) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        .append_header(crate::routes::plumbing::negotiate::VARY_ACCEPT)
        .body(text(base, rules))
}

/// The crawler rules: the front page and the API's page may be crawled;
/// pastes, raw text, users' lists and accounts may not (a paste is shared
/// by its link, not found by search; unlisted ones carry `noindex` too).
const ROBOTS: &str = "\
User-agent: *
Allow: /$
Allow: /api$
Disallow: /
";

/// `GET /robots.txt`
pub(crate) async fn robots() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=86400"),
        ))
        .body(ROBOTS)
}
