//! `GET /api/v1/languages`: every language the server highlights, with the
//! names and extensions it also takes for one. The OpenAPI document lists
//! only the tokens as `language`'s values (one spelling each, so a generated
//! client has one constant per language); this is the whole list.

use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A language of the highlighter.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct LanguageInfo {
    /// What to send as `language` and what answers hold: `rust`, `c++`.
    #[schema(example = "rust")]
    pub(crate) token: String,
    /// What people read (also accepted, in any case): `Rust`, `C++`.
    #[schema(example = "Rust")]
    pub(crate) name: String,
    /// File extensions also accepted for it, without the dot: `rs`.
    #[schema(example = json!(["rs"]))]
    pub(crate) extensions: Vec<String>,
    /// Short names also accepted for it: `py`, `js`.
    pub(crate) aliases: Vec<String>,
}

/// The list, by name.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct Languages {
    /// Every language, sorted by name.
    pub(crate) languages: Vec<LanguageInfo>,
}

/// The answer, made once: the catalog is fixed for the life of the process.
static BODY: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let catalog = crate::render::catalog();
    let list = Languages {
        languages: catalog
            .entries()
            .iter()
            .map(|entry| LanguageInfo {
                token: entry.token.clone(),
                name: entry.name.clone(),
                extensions: catalog.extensions(entry),
                aliases: catalog
                    .aliases(entry)
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
            })
            .collect(),
    };
    serde_json::to_vec(&list).expect("a list of strings serializes")
});

/// The tokens, as the document lists them for `language`.
pub(crate) fn tokens() -> Vec<&'static str> {
    crate::render::catalog()
        .entries()
        .iter()
        .map(|e| e.token.as_str())
        .collect()
}

/// Every language the server knows: the token to send as `language`, its
/// name, and the extensions and short names also accepted for it (in any
/// case). The list changes only with a new release of the server.
#[utoipa::path(
    get,
    path = "/api/v1/languages",
    operation_id = "list_languages",
    tag = "pastes",
    responses(
        (status = 200, description = "Every language, sorted by name", body = Languages,
         headers(("Cache-Control" = String, description = "`public, max-age=86400`: the list is fixed for a release"))),
    )
)]
pub(crate) async fn list() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .content_type("application/json")
        .body(web::Bytes::from_static(BODY.as_slice()))
}
