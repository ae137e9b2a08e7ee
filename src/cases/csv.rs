//! The case ledger as a spreadsheet file: investigators open `cases.csv` in Excel or WPS, edit it
//! and hand it back to the next quarter's run. Both programs read UTF-8 only when the file starts
//! with a byte-order mark, and expect CRLF line ends; fields follow RFC 4180 (quoted when they hold
//! a comma, a quote, a line end or surrounding blanks; quotes doubled). Reading accepts what they
//! write back: with or without the mark, CRLF or LF, quoted fields spanning lines.

const BOM: &str = "\u{feff}";

/// The text of a CSV file: the mark, then each record on its own CRLF-ended line.
pub(crate) fn write(records: &[Vec<String>]) -> String {
    let mut text = String::from(BOM);
    for record in records {
        let fields: Vec<String> = record.iter().map(|field| quote(field)).collect();
        text.push_str(&fields.join(","));
        text.push_str("\r\n");
    }
    text
}

fn quote(field: &str) -> String {
    let needs_quotes = field.contains([',', '"', '\r', '\n']) || field.trim() != field;
    if needs_quotes {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// The records of a CSV text, each with its row number as a spreadsheet shows it (the first
/// record is row 1), blank records left out. An unclosed quote is an error naming its row.
pub(crate) fn read(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let mut records = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut row = 1;
    let mut chars = text.chars().peekable();
    let finish = |record: &mut Vec<String>, field: &mut String, row: usize, records: &mut Vec<(usize, Vec<String>)>| {
        record.push(std::mem::take(field));
        let fields = std::mem::take(record);
        if !(fields.len() == 1 && fields[0].is_empty()) {
            records.push((row, fields));
        }
    };
    while let Some(character) = chars.next() {
        if quoted {
            match character {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                other => field.push(other),
            }
            continue;
        }
        match character {
            '"' if field.is_empty() => quoted = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                finish(&mut record, &mut field, row, &mut records);
                row += 1;
            }
            other => field.push(other),
        }
    }
    if quoted {
        return Err(format!("row {row}: a quoted field is never closed"));
    }
    if !field.is_empty() || !record.is_empty() {
        finish(&mut record, &mut field, row, &mut records);
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed_and_read_back_the_same() {
        let records = vec![
            vec!["case_id".to_string(), "note".to_string()],
            vec!["I1/network".to_string(), "查账, 约谈\n\"法人\"".to_string()],
            vec!["I2/claims".to_string(), " padded ".to_string()],
        ];
        let text = write(&records);
        assert_eq!(text, "\u{feff}case_id,note\r\nI1/network,\"查账, 约谈\n\"\"法人\"\"\"\r\nI2/claims,\" padded \"\r\n");
        let read_back: Vec<Vec<String>> = read(&text).unwrap().into_iter().map(|(_, record)| record).collect();
        assert_eq!(read_back, records);
    }

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_shows_them() {
        let rows: Vec<usize> = read("a,b\n\n1,2\r\n3,\"x\ny\"\n5,6").unwrap().into_iter().map(|(row, _)| row).collect();
        // A blank line is an empty row; a line end inside quotes stays within its row.
        assert_eq!(rows, vec![1, 3, 4, 5]);
        assert_eq!(read("a\n\"open").unwrap_err(), "row 2: a quoted field is never closed");
    }
}
