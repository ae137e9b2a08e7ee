//! Report: everything a run writes. Tables go to Parquet (zstd), the run's facts to
//! `summary.json`, people's views to `report.html` and `charts/`. Writing happens in a temporary
//! folder beside the destination that is moved into place only when everything succeeded, so a
//! failed run never leaves a half-written folder.

pub mod charts;
pub mod data;
pub mod explain;
pub mod html;
pub mod render;
pub mod run_folder;
pub mod scorecards;
pub mod summary;
pub mod tables;
pub mod text;

pub use render::{render, render_scorecard, RenderSummary};
pub use run_folder::{write_parquet, RunFolder};
pub use text::Lang;
