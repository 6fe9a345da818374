//! The diff as Markdown for a pull request: counts, breaking changes first, grouped by action.

use std::fmt::Write;

use super::{Change, Report};

/// Renders the whole report.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# API changes: {} → {}\n",
        code(&report.old_label),
        code(&report.new_label)
    );
    out.push_str(&summary_line(report));
    if report.changes.is_empty() {
        return out;
    }
    let breaking: Vec<&Change> = report.changes.iter().filter(|c| c.breaking).collect();
    let other: Vec<&Change> = report.changes.iter().filter(|c| !c.breaking).collect();
    if !breaking.is_empty() {
        out.push_str("\n## Breaking changes\n");
        grouped(&mut out, &breaking, "###");
    }
    if !other.is_empty() {
        out.push_str("\n## Other changes\n");
        grouped(&mut out, &other, "###");
    }
    out
}

/// One line with the counts.
pub fn summary_line(report: &Report) -> String {
    let s = report.summary();
    if s.total == 0 {
        return "No changes.\n".into();
    }
    format!(
        "{} {}: **{} breaking**, {} not breaking. Actions: {} added, {} removed, {} changed.\n",
        s.total,
        plural(s.total, "change", "changes"),
        s.breaking,
        s.non_breaking,
        s.actions_added,
        s.actions_removed,
        s.actions_changed
    )
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// Changes under one heading per action (service-wide first), in report order.
pub fn grouped(out: &mut String, changes: &[&Change], heading: &str) {
    let mut current: Option<Option<&str>> = None;
    for change in changes {
        let action = change.action.as_deref();
        if current != Some(action) {
            let title = match action {
                Some(name) => code(name),
                None => "Service-wide".to_owned(),
            };
            let _ = writeln!(out, "\n{heading} {title}\n");
            current = Some(action);
        }
        let _ = writeln!(out, "- {}", item(change));
    }
}

/// One change as a list item: what, where, before → after, and why.
pub fn item(change: &Change) -> String {
    // Whole-action changes need no path.
    let mut text = if change.path == "action" {
        format!("**{}**", change.kind.label())
    } else {
        format!("**{}** {}", change.kind.label(), code(&change.path))
    };
    match (&change.before, &change.after) {
        (Some(before), Some(after)) => {
            let _ = write!(text, ": {} → {}", code(before), code(after));
        }
        (Some(before), None) => {
            let _ = write!(text, " (was {})", code(before));
        }
        (None, Some(after)) => {
            let _ = write!(text, " ({})", code(after));
        }
        (None, None) => {}
    }
    let _ = write!(text, ". {}", change.reason);
    text
}

/// An inline code span that survives backticks in the text.
pub fn code(text: &str) -> String {
    if text.is_empty() {
        return "(empty)".into();
    }
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}
