//! Messages of the ingest area (see the catalogue's module documentation): why an input row was
//! rejected (`rejects.parquet`'s `reason`, `summary.json`'s rejects by reason, `check`), naming
//! the column and what was expected, and the export's warnings. Column and table names are the
//! contract's, as the bureau's export writes them. Errors that stop a run are not here: they
//! stay in English for now (`error.rs`).

use super::Message;

pub const MISSING_REQUIRED: Message = Message::new("ingest.missing_required", "缺少必填值：{column}", "missing required value: {column}");
pub const NOT_FINITE: Message = Message::new(
    "ingest.not_finite",
    "不可能的值：{column} 不是有限的金额（非数值或无穷大）",
    "impossible value: {column} is not a finite amount (NaN or infinity)",
);
pub const OUT_OF_RANGE: Message =
    Message::new("ingest.out_of_range", "不可能的值：{column} 超出范围（高于 {max} 元）", "impossible value: {column} out of range (above {max} yuan)");
pub const UNKNOWN_VALUE: Message = Message::new(
    "ingest.unknown_value",
    "{column} 的取值“{value}”不在允许范围内（应为以下之一：{allowed}）",
    "unknown value '{value}' in {column} (expected one of: {allowed})",
);
pub const DUPLICATE_KEY: Message = Message::new("ingest.duplicate_key", "主键（{key}）重复：共 {copies} 行", "duplicate primary key ({key}): {copies} copies");
pub const UNKNOWN_PARENT: Message = Message::new(
    "ingest.unknown_parent",
    "{column}“{value}”没有对应的记录（{parent} 表中没有可用的行）",
    "unknown {column} '{value}' (no kept row in {parent})",
);
pub const NEGATIVE: Message = Message::new("ingest.negative", "不可能的值：{column} 为负数", "impossible value: {column} is negative");
pub const OUTSIDE: Message = Message::new("ingest.outside", "不可能的值：{column} 不在 {low}–{high} 之间", "impossible value: {column} outside {low}–{high}");
pub const BEFORE: Message = Message::new("ingest.before", "不可能的值：{later} 早于 {earlier}", "impossible value: {later} before {earlier}");
pub const NOT_POSITIVE: Message = Message::new("ingest.not_positive", "不可能的值：{column} 不是正数", "impossible value: {column} is not positive");
pub const NOT_QUARTER: Message = Message::new(
    "ingest.not_quarter",
    "不可能的值：{column} 不是季度（应为四位年份加 Q 和季度序号，例如 2026Q1）",
    "impossible value: {column} is not a quarter (expected YYYYQn, e.g. 2026Q1)",
);

// Warnings: the export is read, but something in it was left out or is empty.
pub const STRAY_ENTRY: Message =
    Message::new("ingest.stray_entry", "导出目录中的 {name} 不是约定的数据表，未读取", "{name} in the export folder is not a table of the contract: not read");
pub const NOT_PARQUET: Message =
    Message::new("ingest.not_parquet", "数据表 {table}：{file} 不是 Parquet 文件，未读取", "table {table}: {file} is not a .parquet file: not read");
pub const EMPTY_TABLE: Message = Message::new("ingest.empty_table", "数据表 {table} 没有数据行", "table {table} has no rows");

// Coercions: a value read in a type the contract tolerates, converted to the canonical one.
pub const COERCED_DATE: Message = Message::new("ingest.coerced.date", "{column}：时间戳按日期读取", "{column}: timestamp read as a date");
pub const COERCED_ZONE: Message =
    Message::new("ingest.coerced.zone", "{column}：{zone} 时区的时间戳已换算为 {local} 时间", "{column}: timestamps in {zone} converted to {local}");
pub const COERCED_ROUNDED: Message =
    Message::new("ingest.coerced.rounded", "{column}：浮点金额按四舍五入取到分", "{column}: double rounded half-up to the fen");
pub const COERCED_PARTITION: Message =
    Message::new("ingest.coerced.partition", "{column}：取自目录的分区名", "{column}: taken from the folder's hive partition");

/// Every message of this area, for the catalogue's index and its test.
pub const ALL: &[&Message] = &[
    &MISSING_REQUIRED,
    &NOT_FINITE,
    &OUT_OF_RANGE,
    &UNKNOWN_VALUE,
    &DUPLICATE_KEY,
    &UNKNOWN_PARENT,
    &NEGATIVE,
    &OUTSIDE,
    &BEFORE,
    &NOT_POSITIVE,
    &NOT_QUARTER,
    &STRAY_ENTRY,
    &NOT_PARQUET,
    &EMPTY_TABLE,
    &COERCED_DATE,
    &COERCED_ZONE,
    &COERCED_ROUNDED,
    &COERCED_PARTITION,
];
