//! Report: everything a run writes. Tables go to Parquet (zstd), the run's facts to
//! `summary.json`, people's views to `report.html` and `charts/`. Writing happens in a staging
//! folder (`crate::output`) that is swapped into place only when everything succeeded, so a
//! failed run never leaves a half-written folder.
//!
//! The pages for people are layered, each layer importing only the ones before it:
//!
//! 1. the reader and the figures: `data` (a run's tables as rows, [`data::RunData`]), `figures`
//!    (numbers and short texts derived from them), `links` (where each page lives), with the
//!    words and number formats of `text` and `texts`;
//! 2. the kit: `kit` (tables, sections' openings, key figures, the page shell), `style` (the
//!    style sheet), `charts` (drawing) and `chart_set` (the report's charts from the figures);
//! 3. the sections: `sections` (report.html's, one module each), `scorecards` and `dossiers`
//!    (each page's own sections and their assembly);
//! 4. the pages: `render` writes report.html, the charts, the scorecards and the dossiers.
//!
//! `explain` reads a run through the same reader and figures, and prints text.

pub mod charts;
pub(crate) mod chart_set;
pub mod data;
pub mod dossiers;
pub mod drift;
pub mod explain;
pub mod export;
pub(crate) mod figures;
pub(crate) mod kit;
pub(crate) mod links;
pub mod previous;
pub mod render;
pub mod parquet;
pub(crate) mod scorecards;
pub(crate) mod sections;
pub mod style;
pub mod summary;
pub mod tables;
pub mod text;
pub mod texts;

pub use render::{render, render_scorecard, RenderSummary};
pub use parquet::write_parquet;
pub use text::Lang;
