//! Static assets, compiled into the binary: nothing to deploy beside it.

use actix_web::HttpResponse;
use actix_web::http::header;

const STYLE: &str = include_str!("../../static/style.css");

/// `GET /static/style.css`
pub(crate) async fn style() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(STYLE)
}
