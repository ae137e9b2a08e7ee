//! traincredit: rates subsidised vocational-training institutions and hunts subsidy fraud.
//!
//! The pipeline, one way only:
//!
//! ```text
//! ingest (read, coerce, validate → rejects, person facts, pseudonymise)
//!   → features → rules (R01–R12, P01–P04) & signals → rating (indicators, score, tier, action)
//!   → report (Parquet tables, summary.json, report.html, charts)
//!     & publication (CSV for the public credit platforms, the publication calendar)
//! ```
//!
//! A stage imports only from the stages before it. `quarter`, `money`, `person`, `columns` and
//! `error` are shared vocabulary; `policy` is the bureau's settings from `pipelines/*.toml`;
//! `sample` generates synthetic exports with a truth file of what it planted.

pub mod cases;
pub mod columns;
pub mod error;
pub mod features;
pub mod frame;
pub mod ingest;
pub mod lookup;
pub mod money;
pub mod output;
pub mod person;
pub mod pipeline;
pub mod policy;
pub mod publication;
pub mod progress;
pub mod quarter;
pub mod query;
pub mod rating;
pub mod report;
pub mod rules;
pub mod sample;
pub mod signals;
pub mod vocab;
pub mod whatif;

pub use error::{Error, ErrorKind, Result};
pub use quarter::Quarter;
