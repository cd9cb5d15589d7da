//! `GET /{id}/stats`: visits per month as a bar chart, drawn on the server as
//! inline SVG (no script, so the page's CSP stays `default-src 'none'`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use std::collections::BTreeMap;

use crate::domain::Month;

use super::nav::Nav;
use super::{page_builder, render};
use crate::routes::plumbing::caller::Caller;
use crate::routes::plumbing::failure::{Html, PageError};
use crate::routes::plumbing::paste_path::PastePath;
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
    visits: u64,
}

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage<'a> {
    nav: Nav,
    id: &'a str,
    heading: &'a str,
    total: u64,
    bars: Vec<Bar>,
    width: u32,
    height: u32,
    baseline: u32,
}

/// Lays out one bar per month, scaled to the busiest month.
fn bars(monthly: &BTreeMap<Month, u64>) -> Vec<Bar> {
    let max = monthly.values().copied().max().unwrap_or(0).max(1);
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
                month: month.to_string(),
                visits: *views,
            }
        })
        .collect()
}

/// The page.
pub(crate) async fn show(
    path: PastePath<Html>,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let view = state
        .services
        .pastes
        .read_quietly(path.id(), caller.user())
        .await?;
    let stats = state.services.visits.stats(&view).await;
    let page = StatsPage {
        nav: Nav::of(&caller),
        id: view.meta.id.as_str(),
        heading: view
            .meta
            .title
            .as_ref()
            .map_or("Untitled paste", |t| t.as_str()),
        total: stats.total_views,
        bars: bars(&stats.monthly),
        width: WIDTH,
        height: HEIGHT,
        baseline: HEIGHT - MARGIN,
    };
    let body = render(&page)?;
    Ok(page_builder(StatusCode::OK)
        .insert_header(("Cache-Control", "no-cache"))
        .body(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_busiest_month_fills_the_plot_and_bars_stay_inside() {
        let month = |m: &str| Month::parse(m).expect("a month");
        let laid = bars(&BTreeMap::from([
            (month("2026-10"), 5),
            (month("2026-11"), 10),
        ]));
        assert_eq!(laid[1].height, HEIGHT - 2 * MARGIN);
        assert_eq!(laid[0].height, (HEIGHT - 2 * MARGIN) / 2);
        assert!(laid.iter().all(|b| b.x + b.width <= WIDTH && b.y >= MARGIN));
    }
}
