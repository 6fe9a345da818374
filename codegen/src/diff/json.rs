//! The diff as JSON for tools.
//!
//! Schema (version 1; fields are only ever added):
//! ```json
//! {
//!   "schema_version": 1,
//!   "old": "HEAD~1", "new": "spec",
//!   "summary": { "total": 3, "breaking": 1, "non_breaking": 2,
//!                "actions_added": 1, "actions_removed": 0, "actions_changed": 1 },
//!   "breaking": true,
//!   "changes": [
//!     { "kind": "field_added", "action": "QueryGroupsInfoOfUser", "path": "request.Limit",
//!       "before": null, "after": "int32, required", "breaking": true, "reason": "..." }
//!   ]
//! }
//! ```
//! `action` is `null` for changes of the service file. Changes keep the order of the report:
//! service-wide first, then by action name, then in spec order.

use serde::Serialize;

use super::{Change, Report, Summary};

/// The schema version written as `schema_version`.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    old: &'a str,
    new: &'a str,
    summary: Summary,
    breaking: bool,
    changes: &'a [Change],
}

/// Renders the report as pretty-printed JSON with a final newline.
pub fn render(report: &Report) -> String {
    let document = Document {
        schema_version: SCHEMA_VERSION,
        old: &report.old_label,
        new: &report.new_label,
        summary: report.summary(),
        breaking: report.has_breaking(),
        changes: &report.changes,
    };
    // Serializing plain strings, numbers and booleans cannot fail.
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}
