//! Report: everything a run writes. Tables go to Parquet (zstd), the run's facts to
//! `summary.json`, people's views to `report.html` and `charts/`. Writing happens in a staging
//! folder (`crate::output`) that is swapped into place only when everything succeeded, so a
//! failed run never leaves a half-written folder.

pub mod charts;
pub mod data;
pub mod dossiers;
pub mod drift;
pub mod explain;
pub mod export;
pub mod html;
pub mod previous;
pub mod render;
pub mod parquet;
pub mod scorecards;
pub mod style;
pub mod summary;
pub mod tables;
pub mod text;
pub mod texts;
pub mod yield_section;

pub use render::{render, render_scorecard, RenderSummary};
pub use parquet::write_parquet;
pub use text::Lang;
