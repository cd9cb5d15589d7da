//! Liveness, readiness and metrics for operators.

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::cache::Cache;
use crate::state::AppState;

/// `GET /healthz`: the process answers.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

/// `GET /readyz`: every backend answers; 503 with the failing one named if not.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let store = match state.store.ping().await {
        Ok(()) => json!({"status": "up", "backend": state.store.backend()}),
        Err(e) => {
            json!({"status": "down", "backend": state.store.backend(), "error": e.to_string()})
        }
    };
    // A cache that is down degrades the service (reads go to the store); it
    // does not make it unready.
    let cache = match state.cache.ping().await {
        Ok(()) => json!({"status": "up", "backend": state.cache.backend()}),
        Err(e) => {
            json!({"status": "degraded", "backend": state.cache.backend(), "error": e.to_string()})
        }
    };
    let queue = match state.queue.depth().await {
        Ok(depth) => json!({"status": "up", "backend": state.queue.backend(), "depth": depth}),
        Err(e) => {
            json!({"status": "degraded", "backend": state.queue.backend(), "error": e.to_string()})
        }
    };
    let ready = store["status"] == "up";
    let degraded = cache["status"] != "up" || queue["status"] != "up";
    let body = json!({
        "status": if !ready { "unavailable" } else if degraded { "degraded" } else { "ready" },
        "checks": {
            "store": store,
            "cache": cache,
            "queue": queue,
        }
    });
    if ready {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}

/// `GET /metrics`: Prometheus text.
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render())
}
