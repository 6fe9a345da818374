//! `zim actions` and `zim describe`: the catalogue as text.

use std::fmt::Write as _;

use zim_client::Method;
use zim_client::generated::catalog::{ACTIONS, GLOBAL_CODES};
use zim_client::runtime::catalog::{ActionInfo, FieldInfo};

fn method(action: &ActionInfo) -> String {
    let method = match action.method {
        Method::Get => "GET",
        Method::Post => "POST",
    };
    match action.host {
        Some(host) => format!("{method} (host {host})"),
        None => method.to_owned(),
    }
}

fn pagination(action: &ActionInfo) -> String {
    match action.pagination {
        Some(p) => format!("{} ({} -> {})", p.style, p.cursor, p.next),
        None => "-".into(),
    }
}

/// The actions (of one category), one line each, aligned; `None` for an unknown category.
pub fn actions(category: Option<&str>) -> Option<String> {
    let chosen: Vec<&ActionInfo> = ACTIONS
        .iter()
        .filter(|a| category.is_none_or(|c| a.category == c))
        .collect();
    if chosen.is_empty() {
        return None;
    }
    let header = ["ACTION", "CATEGORY", "METHOD", "QPS", "PAGINATION"].map(String::from);
    let rows: Vec<[String; 5]> = chosen
        .iter()
        .map(|a| {
            [
                a.name.to_owned(),
                a.category.to_owned(),
                method(a),
                a.qps.to_owned(),
                pagination(a),
            ]
        })
        .collect();
    let mut widths = [0usize; 5];
    for row in std::iter::once(&header).chain(&rows) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let _ = write!(line, "{cell:<width$}  ", width = widths[i]);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    Some(out)
}

/// Every category name, sorted.
pub fn categories() -> Vec<&'static str> {
    let mut names: Vec<&str> = ACTIONS.iter().map(|a| a.category).collect();
    names.dedup();
    names
}

/// An action's facts, fields and return codes.
pub fn describe(action: &ActionInfo) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", action.name, action.category);
    let _ = writeln!(out, "  {}", action.purpose);
    if !action.docs.is_empty() {
        let _ = writeln!(out, "  {}", action.docs);
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "method:      {}", method(action));
    let _ = writeln!(out, "qps:         {}", action.qps);
    let _ = writeln!(out, "pagination:  {}", pagination(action));
    if let Some(p) = action.pagination {
        let _ = writeln!(
            out,
            "             items in {}; `--all-pages` follows the cursor",
            p.items
        );
    }
    let _ = writeln!(
        out,
        "retry-safe:  {}",
        if action.retry_safe {
            "yes"
        } else {
            "no (not resent after a transport failure)"
        }
    );
    let _ = writeln!(out, "\nrequest fields:");
    fields(&mut out, action.request, 1, true);
    let _ = writeln!(out, "\nresponse fields:");
    fields(&mut out, action.response, 1, false);
    let _ = writeln!(out, "\nreturn codes of {}:", action.name);
    for code in action.codes {
        let _ = writeln!(out, "  {} {}: {}", code.code, code.name, code.meaning);
        if !code.fix.is_empty() {
            let _ = writeln!(out, "      fix: {}", code.fix);
        }
    }
    let _ = writeln!(out, "\nglobal return codes (any action):");
    for code in GLOBAL_CODES {
        let _ = writeln!(
            out,
            "  {} {}: {} Fix: {}",
            code.code, code.name, code.meaning, code.fix
        );
    }
    out
}

/// Deepest nesting shown, so message bodies stay readable.
const MAX_DEPTH: usize = 3;

fn fields(out: &mut String, list: &[FieldInfo], depth: usize, request: bool) {
    if list.is_empty() {
        let _ = writeln!(out, "{}(none)", "  ".repeat(depth));
        return;
    }
    for field in list {
        field_line(out, field, depth, request);
    }
}

fn field_line(out: &mut String, field: &FieldInfo, depth: usize, request: bool) {
    let indent = "  ".repeat(depth);
    let flag = match (request, field.required) {
        (true, true) => ", required",
        (false, true) => ", always sent",
        _ => "",
    };
    let _ = writeln!(out, "{indent}{} ({}{flag})", field.name, field.ty);
    let more = format!("{indent}    ");
    if !field.docs.is_empty() {
        let _ = writeln!(out, "{more}{}", field.docs);
    }
    if !field.limits.is_empty() {
        let _ = writeln!(out, "{more}limits: {}", field.limits);
    }
    if let Some(default) = field.default {
        let _ = writeln!(out, "{more}default: {default}");
    }
    if let Some(kind) = field.values_kind {
        let _ = writeln!(out, "{more}values ({kind}):");
        for value in field.values {
            let _ = writeln!(
                out,
                "{more}  {} {}: {}",
                value.value, value.name, value.docs
            );
        }
    }
    if depth >= MAX_DEPTH {
        return;
    }
    if !field.fields.is_empty() {
        for nested in field.fields {
            field_line(out, nested, depth + 2, request);
        }
    }
    if let Some(selector) = field.selector {
        let _ = writeln!(out, "{more}shape chosen by {selector}:");
        for shape in field.variants {
            let _ = writeln!(
                out,
                "{more}  {} ({selector} {}): {}",
                shape.name, shape.when, shape.docs
            );
            for nested in shape.fields {
                field_line(out, nested, depth + 3, request);
            }
        }
    }
}
