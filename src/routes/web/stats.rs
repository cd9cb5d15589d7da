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
    /// Whether its month is written under it: with many bars, one in a few
    /// is, so the labels do not overlap.
    labelled: bool,
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

/// The most months one chart shows (the latest): two years of bars still
/// fit its width with their labels.
const MAX_MONTHS: usize = 24;

/// Every month from the paste's creation to `now`, those without visits as
/// zeros, so a chart's gaps are months, not missing bars.
fn every_month(
    monthly: &BTreeMap<Month, u64>,
    created: time::OffsetDateTime,
    now: time::OffsetDateTime,
) -> BTreeMap<Month, u64> {
    let last = Month::of(now).max(
        monthly
            .keys()
            .next_back()
            .copied()
            .unwrap_or(Month::of(now)),
    );
    Month::of(created)
        .through(last, MAX_MONTHS)
        .into_iter()
        .map(|m| (m, monthly.get(&m).copied().unwrap_or(0)))
        .collect()
}

/// Lays out one bar per month, scaled to the busiest month.
fn bars(monthly: &BTreeMap<Month, u64>) -> Vec<Bar> {
    let max = monthly.values().copied().max().unwrap_or(0).max(1);
    let count = u32::try_from(monthly.len()).unwrap_or(1).max(1);
    let slot = (WIDTH - 2 * MARGIN) / count;
    let width = (slot * 7 / 10).clamp(4, 80);
    let plot = HEIGHT - 2 * MARGIN;
    // A label is about 56 units wide.
    let every = (56 / slot.max(1) + 1) as usize;
    let last = monthly.len().saturating_sub(1);
    monthly
        .iter()
        .enumerate()
        .map(|(n, (month, views))| {
            let i = u32::try_from(n).unwrap_or(0);
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
                labelled: (last - n).is_multiple_of(every),
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
        bars: if stats.monthly.is_empty() {
            Vec::new()
        } else {
            bars(&every_month(
                &stats.monthly,
                view.meta.created_at,
                state.services.clock.now(),
            ))
        },
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

    #[test]
    fn every_month_since_creation_is_a_bar_zeros_included() {
        let month = |m: &str| Month::parse(m).expect("a month");
        let at = |text: &str| {
            time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                .expect("a time")
        };
        let shown = every_month(
            &BTreeMap::from([(month("2026-10"), 5)]),
            at("2026-08-20T10:00:00Z"),
            at("2027-01-02T10:00:00Z"),
        );
        let months: Vec<String> = shown.iter().map(|(m, v)| format!("{m}:{v}")).collect();
        assert_eq!(
            months,
            [
                "2026-08:0",
                "2026-09:0",
                "2026-10:5",
                "2026-11:0",
                "2026-12:0",
                "2027-01:0"
            ]
        );
        let long = every_month(
            &BTreeMap::new(),
            at("2020-01-01T00:00:00Z"),
            at("2027-01-02T10:00:00Z"),
        );
        assert_eq!(long.len(), MAX_MONTHS);
        assert_eq!(long.keys().next_back(), Some(&month("2027-01")));
    }
}
