//! Messages the commands print to a person on the terminal: what a run wrote, the export's
//! coverage, the tier table, movements and money that `evaluate` and `demo` print when done.

use super::Message;

pub const RUN_WRITTEN: Message = Message::new("cli.run_written", "运行结果已写入 {path}", "run written to {path}");

pub const COVERAGE_HEADING: Message = Message::new("cli.coverage.heading", "导出数据覆盖范围：", "coverage:");
pub const COVERAGE_RANGE: Message =
    Message::new("cli.coverage.range", "  {table}，按 {column}：{first} … {last}", "  {table} ({column}): {first} … {last}");
pub const COVERAGE_ABSENT: Message = Message::new("cli.coverage.absent", "  {table}，按 {column}：未提供", "  {table} ({column}): absent");
pub const COVERAGE_NO_ROWS: Message = Message::new("cli.coverage.no_rows", "  {table}，按 {column}：没有可用的数据行", "  {table} ({column}): no rows");
/// An indicator without data this quarter; `file` names where its reason is (`summary.json`).
pub const NO_DATA: Message = Message::new(
    "cli.no_data",
    "无数据：{indicator}本季度没有可用数据，为空值，不计入得分（原因见 {file}）",
    "no data: {indicator} has no data this quarter: null, left out of the score (why: {file})",
);

pub const TIERS_HEADING: Message = Message::new("cli.tiers.heading", "{quarter} 各信用等级机构数：", "{quarter}: institutions per tier");
/// `count` comes right-aligned to four characters.
pub const TIER_ROW: Message = Message::new("cli.tiers.row", "  {tier}  {count} 家  {name}", "  {tier}  {count}  {name}");
pub const MOVEMENTS_HEADING: Message = Message::new("cli.movements.heading", "较上季度的等级变动：", "movements since the previous quarter:");
pub const MOVEMENTS_NONE: Message = Message::new("cli.movements.none", "  无", "  none");
pub const MOVEMENT_ROW: Message = Message::new("cli.movements.row", "  {from} → {to}  {count} 家", "  {from} → {to}  {count}");
/// The "from" of an institution rated for the first time.
pub const NEWLY_RATED: Message = Message::new("cli.movements.new", "新参评", "new");
pub const MONEY: Message = Message::new(
    "cli.money",
    "资金：申领 {claimed}；涉险 {at_stake}；应追回 {to_recover}；应暂扣 {to_hold}",
    "money: claimed {claimed}; at stake {at_stake}; to recover {to_recover}; to hold {to_hold}",
);
pub const REPORT_PATH: Message = Message::new("cli.report_path", "报告：{path}", "report: {path}");
pub const SPREADSHEETS: Message =
    Message::new("cli.spreadsheets", "电子表格：{workbook}（CSV 文件在 {csv}）", "spreadsheets: {workbook} (CSV files in {csv})");
pub const EXPLAIN_HINT: Message = Message::new("cli.explain_hint", "查看一家机构的评级依据：{command}", "why an institution got its tier: {command}");

pub const DEMO_GENERATING: Message =
    Message::new("cli.demo.generating", "{path} 中没有导出数据：在此生成样例数据", "no export in {path}: generating the sample there");
pub const DEMO_START: Message = Message::new(
    "cli.demo.start",
    "演示：用公开的演示密钥评估 {path}（仅限合成数据）",
    "demo: evaluating {path} with the public demo key (synthetic data only)",
);
pub const DEMO_QUARTER: Message =
    Message::new("cli.demo.quarter", "{quarter}：运行结果已写入 {path}（驳回输入数据 {rejected} 行）", "{quarter}: run written to {path} ({rejected} input rows rejected)");

/// Every message of this area, for the catalogue's index and its test.
pub const ALL: &[&Message] = &[
    &RUN_WRITTEN,
    &COVERAGE_HEADING,
    &COVERAGE_RANGE,
    &COVERAGE_ABSENT,
    &COVERAGE_NO_ROWS,
    &NO_DATA,
    &TIERS_HEADING,
    &TIER_ROW,
    &MOVEMENTS_HEADING,
    &MOVEMENTS_NONE,
    &MOVEMENT_ROW,
    &NEWLY_RATED,
    &MONEY,
    &REPORT_PATH,
    &SPREADSHEETS,
    &EXPLAIN_HINT,
    &DEMO_GENERATING,
    &DEMO_START,
    &DEMO_QUARTER,
];
