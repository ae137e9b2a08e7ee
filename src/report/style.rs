//! The style sheet of the report and the scorecards: the screen layout and the A4 print layout.
//!
//! Evaluators print the report and file it. On paper the overview comes first and alone on page
//! 1 (the header and the first section, the quarter at a glance), every later section starts
//! where the last one ended and may break across pages (a section kept whole left most pages
//! half empty and page 1 holding only the header), a table's heading row repeats on every page,
//! and what only a screen needs (the sticky table of contents, sticky headings, shadows of
//! colour) is not printed. Measured with headless Chromium on the demo's 2026Q3 report: see
//! README ("Printing the report").

use crate::report::charts::tier_hex;
use crate::report::data::TIERS;
use std::fmt::Write;

/// The fonts the page asks for: the bundled face's name first, then common CJK desktop faces.
pub const CSS_FONTS: &str =
    "\"WenQuanYi Micro Hei\", \"Microsoft YaHei\", \"PingFang SC\", \"Noto Sans CJK SC\", \"Source Han Sans SC\", SimHei, sans-serif";

/// The style sheet, shared by the report and the scorecards.
pub fn css() -> String {
    let mut tiers = String::new();
    for tier in TIERS {
        let _ = writeln!(tiers, ".tier-{tier} {{ background: {}; }}", tier_hex(tier));
    }
    format!(
        r#"
:root {{ color-scheme: light; }}
* {{ box-sizing: border-box; }}
body {{ font-family: {CSS_FONTS}; margin: 0; color: #222; background: #f4f6f8; line-height: 1.55; }}
header.top {{ background: #00485a; color: #fff; padding: 20px 32px; }}
header.top h1 {{ margin: 0 0 4px; font-size: 26px; }}
header.top p {{ margin: 2px 0; opacity: .9; }}
nav.toc {{ background: #fff; border-bottom: 1px solid #dde3e8; padding: 8px 32px; position: sticky; top: 0; z-index: 2; }}
nav.toc a {{ margin-right: 18px; color: #00697c; text-decoration: none; white-space: nowrap; }}
main {{ padding: 12px 32px 40px; max-width: 1280px; }}
section {{ background: #fff; border: 1px solid #dde3e8; border-radius: 6px; padding: 16px 22px; margin: 18px 0; }}
h2 {{ margin: 4px 0 12px; font-size: 21px; color: #00485a; }}
h3 {{ margin: 18px 0 8px; font-size: 17px; }}
.cards {{ display: flex; flex-wrap: wrap; gap: 12px; margin: 6px 0 12px; }}
.card {{ border: 1px solid #dde3e8; border-radius: 6px; padding: 10px 14px; min-width: 150px; background: #fafbfc; }}
.card .label {{ font-size: 13px; color: #555; }}
.card .value {{ font-size: 22px; font-weight: bold; }}
.card.money .value {{ font-size: 19px; }}
table {{ border-collapse: collapse; width: 100%; font-size: 14px; margin: 8px 0 14px; }}
th, td {{ border-bottom: 1px solid #e6eaee; padding: 5px 8px; text-align: left; vertical-align: top; }}
th {{ background: #f0f3f5; font-weight: 600; position: sticky; top: 38px; }}
td.num, th.num {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
tr.total td {{ font-weight: bold; border-top: 2px solid #99a7b1; }}
.tier {{ display: inline-block; min-width: 24px; padding: 0 6px; border-radius: 4px; color: #fff; font-weight: bold; text-align: center; }}
{tiers}
.hp {{ color: #fff; background: #c62828; border-radius: 4px; padding: 0 6px; font-size: 12px; white-space: nowrap; }}
.muted {{ color: #666; font-size: 13px; }}
.evidence {{ font-size: 13px; color: #333; max-width: 620px; overflow-wrap: anywhere; }}
.note {{ background: #fff8e1; border-left: 4px solid #f9a825; padding: 8px 12px; margin: 8px 0; }}
.warn {{ background: #ffebee; border-left: 4px solid #c62828; padding: 8px 12px; margin: 8px 0; }}
.ok {{ color: #2e7d32; font-weight: bold; }}
.bad {{ color: #c62828; font-weight: bold; }}
figure {{ margin: 10px 0 18px; }}
figure svg {{ max-width: 100%; height: auto; border: 1px solid #e6eaee; background: #fff; }}
figcaption {{ font-size: 13px; color: #555; }}
ul.todo li {{ margin: 3px 0; }}
details summary {{ cursor: pointer; color: #00697c; }}
.up {{ color: #2e7d32; }} .down {{ color: #c62828; }}
a {{ color: #00697c; }}
footer {{ padding: 10px 32px 30px; font-size: 13px; color: #555; }}
{PRINT}"#
    )
}


/// The print layout (A4), appended to the screen style sheet.
pub const PRINT: &str = r#"
@page { size: A4; margin: 14mm 12mm 15mm 12mm; }
@media print {
  :root { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  body { background: #fff; font-size: 10pt; line-height: 1.4; }
  nav.toc { display: none; }
  header.top { padding: 0 0 6px; background: #fff; color: #00485a; border-bottom: 2px solid #00485a; }
  header.top h1 { font-size: 18pt; }
  main { padding: 0; max-width: none; }
  section { border: none; border-radius: 0; padding: 0; margin: 0 0 6mm; break-inside: auto; }
  section#glance { break-after: page; }
  h2, h3, figcaption { break-after: avoid-page; }
  h2 { font-size: 14pt; border-bottom: 1px solid #99a7b1; padding-bottom: 2px; }
  table { font-size: 8pt; margin: 4px 0 8px; }
  thead { display: table-header-group; }
  tfoot { display: table-footer-group; }
  th { position: static; }
  th, td { padding: 2px 4px; }
  tr, figure, .card, .note, .warn { break-inside: avoid; }
  .cards { gap: 6px; }
  .card { min-width: 0; padding: 4px 8px; }
  .card .value { font-size: 14pt; }
  .card.money .value { font-size: 12pt; }
  .evidence { font-size: 7.5pt; max-width: none; }
  figure svg { max-width: 100%; max-height: 110mm; border: none; }
  details > summary { color: #222; }
  a { color: inherit; text-decoration: none; }
  footer { padding: 4mm 0 0; }
}
"#;
