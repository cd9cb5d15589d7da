//! `GET /{id}/stats`: visits per month as a bar chart, drawn on the server as
//! inline SVG (no script, so the page's CSP stays `default-src 'none'`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::{page_builder, render};
use crate::error::{AppError, Failure};
use crate::state::AppState;

const WIDTH: u32 = 720;
const HEIGHT: u32 = 240;
const MARGIN: u32 = 28;

/// One bar of the chart, laid out.
struct Bar {
    x: u32,
    y: u32,
    width: u32,
    height: u32,
    label_x: u32,
    month: String,
    views: u64,
}

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage<'a> {
    id: &'a str,
    heading: &'a str,
    total: u64,
    bars: Vec<Bar>,
    width: u32,
    height: u32,
    baseline: u32,
}

/// Lays out one bar per month, scaled to the busiest month.
fn bars(monthly: &[(String, u64)]) -> Vec<Bar> {
    let max = monthly.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let count = u32::try_from(monthly.len()).unwrap_or(1).max(1);
    let slot = (WIDTH - 2 * MARGIN) / count;
    let width = (slot * 7 / 10).clamp(4, 80);
    let plot = HEIGHT - 2 * MARGIN;
    monthly
        .iter()
        .enumerate()
        .map(|(i, (month, views))| {
            let i = u32::try_from(i).unwrap_or(0);
            let height = u32::try_from(u64::from(plot) * views / max)
                .unwrap_or(plot)
                .max(1);
            let x = MARGIN + i * slot + (slot - width) / 2;
            Bar {
                x,
                y: HEIGHT - MARGIN - height,
                width,
                height,
                label_x: x + width / 2,
                month: month.clone(),
                views: *views,
            }
        })
        .collect()
}

/// The page.
pub async fn show(
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let (view, monthly) = state.pastes.stats(&id).await.map_err(AppError::html)?;
    let page = StatsPage {
        id: &view.meta.id,
        heading: view.meta.title.as_deref().unwrap_or("Untitled paste"),
        total: monthly.iter().map(|(_, n)| n).sum(),
        bars: bars(&monthly),
        width: WIDTH,
        height: HEIGHT,
        baseline: HEIGHT - MARGIN,
    };
    let body = render(&page).map_err(AppError::html)?;
    Ok(page_builder(StatusCode::OK)
        .insert_header(("Cache-Control", "no-cache"))
        .body(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_busiest_month_fills_the_plot_and_bars_stay_inside() {
        let laid = bars(&[("2026-10".into(), 5), ("2026-11".into(), 10)]);
        assert_eq!(laid[1].height, HEIGHT - 2 * MARGIN);
        assert_eq!(laid[0].height, (HEIGHT - 2 * MARGIN) / 2);
        assert!(laid.iter().all(|b| b.x + b.width <= WIDTH && b.y >= MARGIN));
    }
}
