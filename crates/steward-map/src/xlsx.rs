//! The ROPA as an Excel workbook (rust_xlsxwriter): sheet `ROPA` with the
//! rows of [`crate::ropa`], `Transfers` with every cross-border flow, and
//! `Countries` with the categories and people per country. Every cell is
//! written as a string or a number, never as a formula.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::model::DataMap;
use crate::ropa::{COLUMNS, rows};

/// Excel's limit on the characters of one cell.
const CELL_MAX: usize = 32_767;

fn cell(text: &str) -> &str {
    match text.char_indices().nth(CELL_MAX) {
        Some((i, _)) => text.get(..i).unwrap_or_default(),
        None => text,
    }
}

fn row_index(i: usize) -> Result<u32, XlsxError> {
    u32::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)
}

fn col_index(i: usize) -> Result<u16, XlsxError> {
    u16::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)
}

/// Writes a header row and string rows; freezes the header and adds a
/// filter.
fn table(sheet: &mut Worksheet, header: &[&str], body: &[Vec<String>]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold().set_background_color("#E5E7EB");
    for (c, h) in header.iter().enumerate() {
        sheet.write_string_with_format(0, col_index(c)?, *h, &bold)?;
    }
    for (r, row) in body.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            sheet.write_string(row_index(r + 1)?, col_index(c)?, cell(value))?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_col = col_index(header.len().saturating_sub(1))?;
    sheet.autofilter(0, 0, row_index(body.len())?, last_col)?;
    sheet.autofit();
    Ok(())
}

/// The workbook's bytes.
///
/// # Errors
/// rust_xlsxwriter fails (it validates sheet names and cell positions).
pub fn ropa_xlsx(map: &DataMap) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let ropa: Vec<Vec<String>> = rows(map)
        .iter()
        .map(|r| r.cells().iter().map(|c| (*c).to_owned()).collect())
        .collect();
    table(book.add_worksheet().set_name("ROPA")?, COLUMNS, &ropa)?;

    let transfers: Vec<Vec<String>> = map
        .cross_border()
        .map(|f| {
            vec![
                f.id.clone(),
                f.from.clone(),
                f.from_country.clone(),
                f.to.clone(),
                f.to_kind.clone(),
                f.to_country.clone(),
                f.kind.clone(),
                f.purpose.clone(),
                f.categories.join("; "),
                f.subjects.join("; "),
                f.basis
                    .as_ref()
                    .map_or_else(|| "none recorded".to_owned(), |b| b.kind.clone()),
                f.basis
                    .as_ref()
                    .and_then(|b| b.reference.clone())
                    .unwrap_or_default(),
                f.basis
                    .as_ref()
                    .map_or(String::new(), |b| b.disclosed.to_string()),
            ]
        })
        .collect();
    table(
        book.add_worksheet().set_name("Transfers")?,
        &[
            "flow",
            "from",
            "from_country",
            "to",
            "to_kind",
            "to_country",
            "kind",
            "purpose",
            "categories",
            "subject_jurisdictions",
            "basis",
            "basis_reference",
            "disclosed",
        ],
        &transfers,
    )?;

    let mut countries = Vec::new();
    for c in &map.countries {
        for h in &c.holdings {
            for (j, n) in &h.subjects {
                countries.push(vec![
                    c.code.clone(),
                    c.name.clone(),
                    h.category.clone(),
                    j.clone(),
                    n.to_string(),
                    h.evidence.as_str().to_owned(),
                ]);
            }
        }
    }
    let sheet = book.add_worksheet().set_name("Countries")?;
    table(
        sheet,
        &[
            "country", "name", "category", "subjects", "values", "evidence",
        ],
        &countries,
    )?;
    // Counts as numbers, so that they sum.
    for (r, row) in countries.iter().enumerate() {
        if let Some(n) = row.get(4).and_then(|v| v.parse::<f64>().ok()) {
            sheet.write_number(row_index(r + 1)?, 4, n)?;
        }
    }
    book.save_to_buffer()
}
