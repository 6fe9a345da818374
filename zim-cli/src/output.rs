//! Printing responses: JSON (pretty on a terminal, compact otherwise) and tables.

use std::fmt::Write as _;

use serde_json::Value;
use zim_client::runtime::catalog::{ActionInfo, FieldInfo};

/// `value` as JSON text: indented when `pretty`.
pub fn json(value: &Value, pretty: bool) -> String {
    let text = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    // A `Value` always serializes; the fallback only keeps this total.
    text.unwrap_or_else(|_| value.to_string())
}

/// The rows a table shows for a response: the page's items (the pagination's item list, else
/// the first list of objects), or the response itself as one row; with the spec's order of
/// their fields, for the columns.
pub fn rows(action: &ActionInfo, response: &Value) -> (Vec<Value>, Vec<&'static str>) {
    let list = action
        .pagination
        .map(|p| p.items)
        .or_else(|| {
            action.response.iter().map(|f| f.name).find(|name| {
                response[*name]
                    .as_array()
                    .is_some_and(|items| items.first().is_some_and(Value::is_object))
            })
        })
        .and_then(|name| action.response.iter().find(|f| f.name == name));
    match list.and_then(|field| Some((field, response.get(field.name)?.as_array()?))) {
        Some((field, items)) => (items.clone(), item_order(field)),
        None => (
            vec![response.clone()],
            action.response.iter().map(|f| f.name).collect(),
        ),
    }
}

/// Paginated items' columns: the item object's fields.
fn item_order(field: &FieldInfo) -> Vec<&'static str> {
    field.fields.iter().map(|f| f.name).collect()
}

/// [`table`] of a response, for `--output table`.
pub fn response_table(action: &ActionInfo, response: &Value) -> String {
    let (rows, order) = rows(action, response);
    table(&rows, &order)
}

/// [`table`] of the items of `action`'s pages (`--all-pages --output table`).
pub fn items_table(action: &ActionInfo, items: &[Value]) -> String {
    let order = action
        .pagination
        .and_then(|p| action.response.iter().find(|f| f.name == p.items))
        .map(item_order)
        .unwrap_or_default();
    table(items, &order)
}

/// A plain-text table of `rows`: one column per key, those of `order` first in that order,
/// then others as they first appear; nested values as compact JSON. Rows that are not objects
/// show in one `value` column.
pub fn table(rows: &[Value], order: &[&str]) -> String {
    let mut columns: Vec<String> = order
        .iter()
        .filter(|name| rows.iter().any(|row| row.get(**name).is_some()))
        .map(|name| (*name).to_owned())
        .collect();
    for row in rows {
        match row {
            Value::Object(fields) => {
                for key in fields.keys() {
                    if !columns.iter().any(|c| c == key) {
                        columns.push(key.clone());
                    }
                }
            }
            _ => {
                if !columns.iter().any(|c| c == "value") {
                    columns.push("value".into());
                }
            }
        }
    }
    if columns.is_empty() {
        return "(no items)\n".into();
    }
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            columns
                .iter()
                .map(|column| match row {
                    Value::Object(fields) => fields.get(column).map(cell).unwrap_or_default(),
                    other if column == "value" => cell(other),
                    _ => String::new(),
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            cells
                .iter()
                .map(|row| row[i].chars().count())
                .chain([column.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let mut line = |values: &[String]| {
        let mut text = String::new();
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            let _ = write!(text, "{value:<width$}", width = widths[i]);
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&columns);
    line(&widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>());
    for row in &cells {
        line(row);
    }
    out
}

/// One cell: strings as they are (on one line), other scalars as JSON, nested values compact.
fn cell(value: &Value) -> String {
    match value {
        Value::String(text) => text.replace(['\n', '\r', '\t'], " "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn columns_follow_first_appearance_and_pad() {
        let text = table(
            &[json!({"A": "x", "B": 1}), json!({"B": 22, "C": [1]})],
            &["B"],
        );
        assert_eq!(text, "B   A  C\n--  -  ---\n1   x\n22     [1]\n");
        assert_eq!(table(&[], &[]), "(no items)\n");
    }
}
