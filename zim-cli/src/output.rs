//! Printing responses: JSON (pretty on a terminal, compact otherwise) and tables.

use std::fmt::Write as _;

use serde_json::Value;
use zim_client::runtime::catalog::ActionInfo;

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
/// the first list of objects), or the response itself as one row.
pub fn rows(action: &ActionInfo, response: &Value) -> Vec<Value> {
    let items = action
        .pagination
        .and_then(|p| response.get(p.items))
        .or_else(|| {
            response.as_object().and_then(|fields| {
                fields.values().find(|v| {
                    v.as_array()
                        .is_some_and(|items| items.first().is_some_and(Value::is_object))
                })
            })
        });
    match items.and_then(Value::as_array) {
        Some(items) => items.clone(),
        None => vec![response.clone()],
    }
}

/// A plain-text table of `rows`: one column per key, in the order keys first appear; nested
/// values as compact JSON. Rows that are not objects show in one `value` column.
pub fn table(rows: &[Value]) -> String {
    let mut columns: Vec<String> = Vec::new();
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
        let text = table(&[json!({"A": "x", "B": 1}), json!({"B": 22, "C": [1]})]);
        assert_eq!(text, "A  B   C\n-  --  ---\nx  1\n   22  [1]\n");
        assert_eq!(table(&[]), "(no items)\n");
    }
}
