//! The sections of `report.html` (layer 3: built from the figures with the kit; `render`
//! assembles them into the page), one module each: the quarter at a glance, the tiers, the
//! leads, what the leads yielded, the money, the budget, the trend, publication, data quality and
//! the sources with their checks; here, what several of them show (an institution's link, a
//! chart).
//!
//! Each section is a function writing its markup from the run's rows and figures; every table is
//! a [`Table`] of the kit, so escaping and alignment are the kit's. Key figures carry
//! machine-readable attributes (`data-figure="to-recover" data-value="1234.50"`), so a test or an
//! auditor can compare them with the tables.

use crate::report::chart_set::ChartSet;
use crate::report::data::RunData;
use crate::report::kit::{inline_svg, link, Cell};
use crate::report::links::{scorecard_file, SCORECARDS_DIR};
use crate::report::text::{escape, Lang};
use std::fmt::Write;

mod budget;
mod glance;
mod leads;
mod money;
mod publication;
mod quality;
mod sources;
mod tiers;
mod trend;
pub(crate) mod yields;

pub(crate) use budget::budget;
pub(crate) use glance::glance;
pub(crate) use leads::leads;
pub(crate) use money::money;
pub(crate) use publication::publication;
pub(crate) use quality::quality;
pub(crate) use sources::sources;
pub(crate) use tiers::tiers;
pub(crate) use trend::trend;

/// A link to an institution's scorecard from the run folder, showing its id and name; an id
/// the run does not rate is shown as it is.
fn institution_cell(data: &RunData, id: &str, lang: Lang) -> Cell {
    match data.institution(id) {
        Some(institution) => Cell::link(&format!("{SCORECARDS_DIR}/{}", scorecard_file(id, lang)), id, Some(&institution.name)),
        None => Cell::text(id),
    }
}

/// [`institution_cell`] as markup, for a cell that shows more beside it.
fn institution_link(data: &RunData, id: &str, lang: Lang) -> String {
    match data.institution(id) {
        Some(institution) => link(&format!("{SCORECARDS_DIR}/{}", scorecard_file(id, lang)), id, Some(&institution.name)),
        None => escape(id),
    }
}

fn chart(out: &mut String, charts: &ChartSet, stem: &str, lang: Lang) {
    if let Some(chart) = charts.get(stem) {
        let _ = write!(
            out,
            "<figure id=\"chart-{stem}\" data-chart=\"{stem}\">{}<figcaption>{} · {}: {} · <a href=\"charts/{stem}{suffix}.png\">PNG</a> · <a href=\"charts/{stem}{suffix}.svg\">SVG</a></figcaption></figure>",
            inline_svg(&chart.svg),
            escape(&chart.title),
            lang.t("数据来源", "source"),
            escape(&chart.source),
            suffix = lang.file_suffix()
        );
    }
}
