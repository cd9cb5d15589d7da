//! `GET /{id}/qr`: the QR code of a paste's link, drawn as SVG on the server.
//! It encodes only the link (which whoever asks already has): no store, no
//! cache, and the same answer for ever, so browsers keep it.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use qrcode::QrCode;
use qrcode::render::svg;

use crate::error::AppError;
use crate::routes::plumbing::failure::{Html, PageError};
use crate::routes::plumbing::paste_path::PastePath;
use crate::state::AppState;

/// The SVG.
pub(crate) async fn show(
    path: PastePath<Html>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let link = state.http.links.page(path.id());
    let code = QrCode::new(link.as_bytes()).map_err(|e| AppError::Internal(e.into()))?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(180, 180)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(image))
}
