//! Liveness, readiness and metrics for operators.

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::shutdown::Draining;
use crate::state::AppState;

/// `GET /healthz`: the process answers.
pub(crate) async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

/// `GET /readyz`: every backend answers; 503 with the failing one named if
/// the store does not (a cache or queue down only degrades the service), and
/// 503 "draining" once a stop signal came, so no new work is sent here.
pub(crate) async fn readyz(
    state: web::Data<AppState>,
    draining: web::Data<Draining>,
) -> HttpResponse {
    if draining.is_draining() {
        return HttpResponse::ServiceUnavailable().json(json!({"status": "draining"}));
    }
    let report = state.services.readiness.check().await;
    if report.is_ready() {
        HttpResponse::Ok().json(report)
    } else {
        HttpResponse::ServiceUnavailable().json(report)
    }
}

/// `GET /metrics`: Prometheus text.
pub(crate) async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.services.metrics.render())
}
