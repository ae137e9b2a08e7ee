//! The run's tables for people who work in spreadsheets: a finance officer sorts recoveries, an
//! analyst filters flags. Parquet needs a tool; every run therefore also writes the tables people
//! act on as CSV (`csv/NAME.csv`, UTF-8 with a byte-order mark and CRLF line ends, which Excel
//! and WPS open with the Chinese intact) and as one workbook (`traincredit.xlsx`, a sheet per
//! table, the header row bold and frozen, money as numbers with two decimals).
//!
//! Money is written from the decimal columns exactly: the CSV holds the decimal's own text
//! (`1234.56`), never an f64 printed back, and the workbook's number is the double nearest to
//! that decimal, which Excel stores and shows as the same digits. The workbook is byte-identical
//! for the same tables: its creation date is the quarter's last day, not the clock.

use crate::error::{Error, PolarsContext, Result};
use crate::quarter::Quarter;
use polars::prelude::*;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use std::path::Path;

/// The folder of the CSV files inside a run folder.
pub const CSV_FOLDER: &str = "csv";
/// The workbook inside a run folder.
pub const WORKBOOK: &str = "traincredit.xlsx";

/// Rows of a worksheet, the header included (Excel's limit). A longer table continues on
/// sheets named `flags (2)`, `flags (3)`, …
const SHEET_ROWS: usize = 1_048_576;
/// The widest a column is set, in characters.
const MAX_WIDTH: usize = 60;

/// One cell of a table, as both files need it.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Empty,
    Text(String),
    /// A count, score or share.
    Number(f64),
    /// Money: its exact decimal text (`1234.56`).
    Money(String),
    Bool(bool),
}

/// One table ready to be written: its header and its columns' cells.
struct Sheet {
    name: &'static str,
    header: Vec<String>,
    columns: Vec<Vec<Cell>>,
    rows: usize,
}

/// Writes `csv/NAME.csv` for each table and the workbook (a sheet per table, in the order given)
/// into `run`; `quarter` dates the workbook.
pub fn write(run: &Path, quarter: Quarter, tables: &[(&'static str, &DataFrame)]) -> Result<()> {
    let sheets: Vec<Sheet> = tables.iter().map(|(name, frame)| sheet(name, frame)).collect::<Result<_>>()?;
    let folder = run.join(CSV_FOLDER);
    std::fs::create_dir_all(&folder).map_err(|e| Error::io("creating the CSV folder", &folder, e))?;
    for sheet in &sheets {
        let path = folder.join(format!("{}.csv", sheet.name));
        std::fs::write(&path, csv_text(sheet)).map_err(|e| Error::io("writing a CSV file", &path, e))?;
    }
    let path = run.join(WORKBOOK);
    workbook(&sheets, quarter).and_then(|mut book| book.save(&path)).map_err(|e| Error::invalid(format!("writing {}: {e}", path.display())))
}

/// The cells of a frame. The `*_args` columns (a text's stored arguments, for re-rendering) are
/// left out: the text beside them is what a person reads.
fn sheet(name: &'static str, frame: &DataFrame) -> Result<Sheet> {
    let mut header = Vec::new();
    let mut columns = Vec::new();
    for column in frame.columns() {
        if column.name().ends_with(crate::report::texts::ARGS_SUFFIX) {
            continue;
        }
        header.push(column.name().to_string());
        columns.push(cells(column).context(&format!("preparing {name}.{} for the spreadsheets", column.name()))?);
    }
    Ok(Sheet { name, header, columns, rows: frame.height() })
}

fn cells(column: &Column) -> PolarsResult<Vec<Cell>> {
    let series = column.as_materialized_series();
    Ok(match series.dtype() {
        DataType::Decimal(_, scale) => {
            let scale = *scale as u32;
            series
                .decimal()?
                .physical()
                .iter()
                .map(|value| value.map_or(Cell::Empty, |unscaled| Cell::Money(rust_decimal::Decimal::from_i128_with_scale(unscaled, scale).to_string())))
                .collect()
        }
        DataType::Boolean => series.bool()?.iter().map(|value| value.map_or(Cell::Empty, Cell::Bool)).collect(),
        dtype if dtype.is_integer() || dtype.is_float() => series
            .cast(&DataType::Float64)?
            .f64()?
            .iter()
            .map(|value| value.filter(|v| v.is_finite()).map_or(Cell::Empty, Cell::Number))
            .collect(),
        DataType::List(_) => series
            .list()?
            .amortized_iter()
            .map(|items| -> PolarsResult<Cell> {
                let Some(items) = items else { return Ok(Cell::Empty) };
                let items = items.as_ref().cast(&DataType::String)?;
                let joined: Vec<&str> = items.str()?.iter().flatten().collect();
                Ok(Cell::Text(joined.join(", ")))
            })
            .collect::<PolarsResult<_>>()?,
        _ => series.cast(&DataType::String)?.str()?.iter().map(|value| value.map_or(Cell::Empty, |v| Cell::Text(v.to_string()))).collect(),
    })
}

/// The CSV text of a sheet: the header, then one CRLF-ended line per row, quoted as RFC 4180
/// says. A text starting with `=`, `+`, `-` or `@` gets a leading `'`, so a name or a note from
/// the export can never run as a formula in the spreadsheet that opens it; numbers and money
/// are written as they are.
fn csv_text(sheet: &Sheet) -> String {
    let mut records = Vec::with_capacity(sheet.rows + 1);
    records.push(sheet.header.clone());
    for row in 0..sheet.rows {
        records.push(
            sheet
                .columns
                .iter()
                .map(|column| match &column[row] {
                    Cell::Empty => String::new(),
                    Cell::Text(text) if text.starts_with(['=', '+', '-', '@']) => format!("'{text}"),
                    Cell::Text(text) => text.clone(),
                    Cell::Number(value) => value.to_string(),
                    Cell::Money(text) => text.clone(),
                    Cell::Bool(value) => value.to_string(),
                })
                .collect(),
        );
    }
    crate::cases::csv::write(&records)
}

/// The workbook: a sheet per table (continued on more sheets past Excel's row limit).
fn workbook(sheets: &[Sheet], quarter: Quarter) -> std::result::Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    let last = quarter.last_day();
    use chrono::Datelike;
    let created = ExcelDateTime::from_ymd(last.year() as u16, last.month() as u8, last.day() as u8)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created).set_title("traincredit"));
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    for sheet in sheets {
        let per_sheet = SHEET_ROWS - 1;
        let parts = sheet.rows.div_ceil(per_sheet).max(1);
        for part in 0..parts {
            let worksheet = book.add_worksheet();
            worksheet.set_name(if part == 0 { sheet.name.to_string() } else { format!("{} ({})", sheet.name, part + 1) })?;
            let rows = part * per_sheet..((part + 1) * per_sheet).min(sheet.rows);
            fill(worksheet, sheet, rows, &bold, &money)?;
        }
    }
    Ok(book)
}

fn fill(worksheet: &mut Worksheet, sheet: &Sheet, rows: std::ops::Range<usize>, bold: &Format, money: &Format) -> std::result::Result<(), XlsxError> {
    for (index, name) in sheet.header.iter().enumerate() {
        let col = index as u16;
        worksheet.write_string_with_format(0, col, name, bold)?;
        let widest = sheet.columns[index][rows.clone()].iter().take(200).map(width).max().unwrap_or(0);
        worksheet.set_column_width(col, (widest.max(width_of(name)) + 2).min(MAX_WIDTH) as f64)?;
    }
    worksheet.set_freeze_panes(1, 0)?;
    for (line, row) in rows.enumerate() {
        let at = (line + 1) as u32;
        for (index, column) in sheet.columns.iter().enumerate() {
            let col = index as u16;
            match &column[row] {
                Cell::Empty => {}
                Cell::Text(text) => {
                    worksheet.write_string(at, col, text)?;
                }
                Cell::Number(value) => {
                    worksheet.write_number(at, col, *value)?;
                }
                // The decimal's text parsed: the double nearest to it, written back as these digits.
                Cell::Money(text) => {
                    worksheet.write_number_with_format(at, col, text.parse::<f64>().unwrap_or_default(), money)?;
                }
                Cell::Bool(value) => {
                    worksheet.write_boolean(at, col, *value)?;
                }
            }
        }
    }
    Ok(())
}

/// A cell's width in characters (a Chinese character counts as two).
fn width(cell: &Cell) -> usize {
    match cell {
        Cell::Empty => 0,
        Cell::Text(text) | Cell::Money(text) => width_of(text),
        Cell::Number(value) => value.to_string().len(),
        Cell::Bool(_) => 5,
    }
}

fn width_of(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn money_frame() -> DataFrame {
        let amounts = Series::new("amount".into(), [Some(123456i128), Some(30), None])
            .cast(&DataType::Int128)
            .unwrap()
            .i128()
            .unwrap()
            .clone()
            .into_decimal_unchecked(14, 2)
            .into_series();
        DataFrame::new(3, vec![
            Column::new("claim_id".into(), ["C1", "=C2", "C3"]),
            Column::new("institution_id".into(), ["JN-ORG-1", "JN-ORG-2", "甲,乙"]),
            amounts.into_column(),
            Column::new("evidence_args".into(), [Series::new("".into(), ["x"]), Series::new("".into(), ["y"]), Series::new("".into(), ["z"])]),
            Column::new("high_priority".into(), [true, false, true]),
            Column::new("rank".into(), [Some(1i64), None, Some(3)]),
        ])
        .unwrap()
    }

    fn zip_entry(path: &Path, name: &str) -> String {
        let mut archive = ::zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let mut text = String::new();
        archive.by_name(name).unwrap().read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn csv_holds_the_exact_decimals_and_the_workbook_the_same_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let frame = money_frame();
        let quarter: Quarter = "2026Q3".parse().unwrap();
        write(dir.path(), quarter, &[("recoveries", &frame)]).unwrap();
        let csv = std::fs::read(dir.path().join("csv/recoveries.csv")).unwrap();
        assert_eq!(&csv[..3], b"\xEF\xBB\xBF");
        assert_eq!(
            String::from_utf8(csv[3..].to_vec()).unwrap(),
            "claim_id,institution_id,amount,high_priority,rank\r\nC1,JN-ORG-1,1234.56,true,1\r\n'=C2,JN-ORG-2,0.30,false,\r\nC3,\"甲,乙\",,true,3\r\n"
        );
        let book = dir.path().join(WORKBOOK);
        let sheet = zip_entry(&book, "xl/worksheets/sheet1.xml");
        assert!(sheet.contains(r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#), "{sheet}");
        assert!(sheet.contains("<c r=\"C2\" s=\"2\"><v>1234.56</v></c>"), "{sheet}");
        assert!(sheet.contains("<c r=\"C3\" s=\"2\"><v>0.3</v></c>"), "{sheet}");
        assert!(sheet.contains("<c r=\"D3\" t=\"b\"><v>0</v></c>"), "{sheet}");
        let styles = zip_entry(&book, "xl/styles.xml");
        assert!(styles.contains(r##"formatCode="#,##0.00""##), "{styles}");
        assert!(zip_entry(&book, "xl/workbook.xml").contains(r#"<sheet name="recoveries" sheetId="1" r:id="rId1"/>"#));
        // The same tables give the same bytes.
        let first = std::fs::read(&book).unwrap();
        write(dir.path(), quarter, &[("recoveries", &frame)]).unwrap();
        assert!(first == std::fs::read(&book).unwrap(), "the workbook differs between two writes");
    }
}
