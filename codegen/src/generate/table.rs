//! The README's table of actions, by category: method (and host), QPS and pagination, made
//! from the checked spec so it cannot drift (`zim-codegen actions-table`; a workspace test
//! compares the README with it).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::spec::{ActionSpec, Api, Method, PaginationStyle, QpsScope};

/// The line before the table in a Markdown file.
pub const BEGIN: &str = "<!-- actions-table: begin; made by `cargo run -p zim-codegen -- actions-table --update README.md` -->";
/// The line after the table.
pub const END: &str = "<!-- actions-table: end -->";

/// One Markdown table per category (categories and actions in name order).
pub fn actions_table(api: &Api) -> String {
    let mut by_category: BTreeMap<&str, Vec<&ActionSpec>> = BTreeMap::new();
    for action in &api.actions {
        by_category
            .entry(action.spec.category.as_str())
            .or_default()
            .push(&action.spec);
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} actions. QPS: calls per second the server allows, and what it counts them by.\n",
        api.actions.len()
    );
    for (category, mut actions) in by_category {
        actions.sort_by(|a, b| a.name.cmp(&b.name));
        let _ = writeln!(out, "**{category}** ({})\n", actions.len());
        out.push_str("| action | method | QPS | pagination |\n|---|---|---|---|\n");
        for action in actions {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} |",
                action.name,
                method(action),
                qps(action),
                pagination(action)
            );
        }
        out.push('\n');
    }
    out.trim_end().to_owned() + "\n"
}

fn method(action: &ActionSpec) -> String {
    let method = match action.method {
        Method::Get => "GET",
        Method::Post => "POST",
    };
    match &action.host {
        Some(host) => format!("{method} (host `{host}`)"),
        None => method.to_owned(),
    }
}

/// The QPS limit in words (`20/s per group (`GroupId`)`; `; 100/day`).
pub(crate) fn qps(action: &ActionSpec) -> String {
    let qps = &action.qps;
    let field = |name: &Option<String>| name.as_deref().unwrap_or("?").to_owned();
    let mut text = match qps.scope {
        QpsScope::App => format!("{}/s per app", qps.limit),
        QpsScope::Group => format!("{}/s per group (`{}`)", qps.limit, field(&qps.key)),
        QpsScope::Room => format!("{}/s per room (`{}`)", qps.limit, field(&qps.key)),
        QpsScope::Message => format!(
            "{}/s per app, each item of `{}` counted",
            qps.limit,
            field(&qps.count)
        ),
    };
    if let Some(day) = qps.per_day {
        let _ = write!(text, "; {day}/day");
    }
    text
}

fn pagination(action: &ActionSpec) -> String {
    let Some(p) = &action.pagination else {
        return "-".to_owned();
    };
    let style = match p.style {
        PaginationStyle::NumericNext => "numeric next",
        PaginationStyle::StringNext => "string next",
        PaginationStyle::NextFlag => "next flag",
        PaginationStyle::StartFlag => "start flag",
    };
    format!("{style} (`{}` -> `{}`)", p.cursor, p.next)
}

/// `text` with the block between [`BEGIN`] and [`END`] replaced by `table`; `None` when the
/// markers are missing or out of order.
pub fn replace_block(text: &str, table: &str) -> Option<String> {
    let start = text.find(BEGIN)? + BEGIN.len();
    let end = start + text[start..].find(END)?;
    Some(format!("{}\n\n{}\n{}", &text[..start], table, &text[end..]))
}

/// The block between the markers, as [`replace_block`] writes it.
pub fn current_block(text: &str) -> Option<&str> {
    let start = text.find(BEGIN)? + BEGIN.len();
    let end = start + text[start..].find(END)?;
    Some(&text[start..end])
}
