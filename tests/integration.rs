//! The one integration-test binary. Each module covers one part of the engine end to end:
//!
//! - `reading`: exports written by pyarrow and DuckDB (every codec, dictionaries, hive folders,
//!   zoned timestamps, doubles for money) read identically;
//! - `bad_inputs`: every kind of bad input gets its exact message or reject reason, no panic;
//! - `cases`: the case ledger carried Q2 → Q3 with investigators' edits; bad edits refused;
//! - `cli`: the commands as a person runs them (check, evaluate, exit codes, determinism);
//! - `dossiers`: one page per lead, its money equal to the tables, its findings and network;
//! - `lead_evidence`: the rows behind each lead's signals and the money in their windows;
//! - `lookup`: a pseudonym resolved to the export rows holding it, masked, exit codes;
//! - `outputs`: `--out` never loses the user's files, killed runs leave a complete folder,
//!   `--previous` is checked before any work;
//! - `rules`: R01–R12 and P01–P04 on hand-made exports at their boundaries, exact money;
//! - `rating`: indicators, scores, tiers and actions chained quarter to quarter; explain;
//! - `people`: what people act on: `evaluate`'s printout in both languages, the spreadsheets
//!   (CSV, workbook), the report's A4 print layout;
//! - `publication`: publication/ (credit platforms' CSV, 万元 exact, a province's mapping, the
//!   calendar over chained quarters, credit codes in data quality);
//! - `report`: report.html, charts with Chinese labels, scorecards, a real browser;
//! - `sample_truth`: on exports from `sample`, every planted case is found and nothing else;
//! - `signals`: risk signals and leads against the schemes the sample planted;
//! - `whatif`: a reform's side equals `evaluate --policy` of it; stacked reforms, money, bans.

mod util;

mod bad_inputs;
mod cases;
mod cli;
mod dossiers;
mod lead_evidence;
mod lookup;
mod outputs;
mod people;
mod publication;
mod rating;
mod reading;
mod report;
mod rules;
mod sample_truth;
mod signals;
mod whatif;
