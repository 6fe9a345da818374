//! Facts ZEGO writes in prose rather than in schema keywords: the QPS note, possible values
//! listed as `- N: meaning`, limits such as "32 bytes" or "[1, 100]", and the HTML table of
//! return codes. Each parser reads numbers and structure only; no wording is kept.

/// What the QPS note of an operation says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QpsFacts {
    pub limit: u32,
    pub scope: QpsScopeHint,
    /// "N times within 24 hours".
    pub per_day: Option<u32>,
}

/// What the QPS is counted over, as the note says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QpsScopeHint {
    App,
    Group,
    Room,
    /// Counted per message sent or fetched, not per call.
    Message,
}

/// Reads the QPS limit from an operation description: `N times/s` (or `time/s`), or
/// `N messages/second` for a limit counted per message.
pub fn parse_qps(description: &str) -> Option<QpsFacts> {
    let text = description.replace(['\u{ff1a}', '\u{ff0c}'], " ");
    let (limit, scope) = if let Some(n) = number_before(&text, &["messages/second", "messages/s"]) {
        (n, QpsScopeHint::Message)
    } else {
        let n = number_before(&text, &["times/s", "time/s", "times/second", "time/second"])?;
        let lower = text.to_lowercase();
        let scope = if lower.contains("room-level") {
            QpsScopeHint::Room
        } else if lower.contains("group-level") {
            QpsScopeHint::Group
        } else {
            QpsScopeHint::App
        };
        (n, scope)
    };
    let per_day = number_before(&text, &["times within 24 hours"]);
    Some(QpsFacts {
        limit: u32::try_from(limit).ok()?,
        scope,
        per_day: per_day.and_then(|n| u32::try_from(n).ok()),
    })
}

/// The first number directly followed (after spaces) by one of `units`.
fn number_before(text: &str, units: &[&str]) -> Option<u64> {
    for unit in units {
        let mut from = 0;
        while let Some(at) = text[from..].find(unit) {
            let end = from + at;
            let before = text[..end].trim_end();
            let digits: String = before
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if !digits.is_empty()
                && let Ok(n) = digits.parse()
            {
                return Some(n);
            }
            from = end + unit.len();
        }
    }
    None
}

/// One possible value listed in a description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedValue {
    pub value: i64,
    /// Marked "(default)".
    pub is_default: bool,
}

/// Integer values listed one per line as `- N: ...`, `- N (default): ...` or
/// `<li>N: ...</li>` (ASCII or full-width colon).
pub fn parse_listed_values(description: &str) -> Vec<ListedValue> {
    let mut out: Vec<ListedValue> = Vec::new();
    let text = description.replace("<li>", "\n- ").replace("</li>", "\n");
    for line in text.lines() {
        let line = line.trim_start().trim_start_matches('>').trim_start();
        let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) else {
            continue;
        };
        let rest = rest.trim_start().trim_start_matches("**");
        let Some(colon) = rest.find([':', '\u{ff1a}']) else {
            continue;
        };
        let head = rest[..colon].trim().trim_end_matches("**").trim();
        let after = rest[colon..].chars().skip(1).collect::<String>();
        // "(default)" sits before the colon or right after it.
        let default_after = after.trim_start().to_lowercase().starts_with("(default)");
        let (number, is_default) = match head.split_once('(') {
            Some((n, note)) => (n.trim(), note.to_lowercase().contains("default")),
            None => (head, default_after),
        };
        if let Ok(value) = number.parse::<i64>()
            && !out.iter().any(|v| v.value == value)
        {
            out.push(ListedValue { value, is_default });
        }
    }
    out
}

/// Limits stated in a description.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProseLimits {
    /// "N bytes" (the largest such number when several appear).
    pub bytes: Option<u64>,
    /// "N characters" (the largest such number).
    pub chars: Option<u64>,
    /// "[a, b]": an inclusive range.
    pub range: Option<(i64, i64)>,
}

/// Reads "N bytes", "N characters" and "[a, b]" from a description.
pub fn parse_limits(description: &str) -> ProseLimits {
    let text = description.replace(['\u{ff0c}'], ",");
    let mut limits = ProseLimits {
        bytes: largest_before(&text, "bytes"),
        chars: largest_before(&text, "characters"),
        range: None,
    };
    let mut from = 0;
    while let Some(open) = text[from..].find('[') {
        let start = from + open + 1;
        let Some(close) = text[start..].find(']') else {
            break;
        };
        let inner = &text[start..start + close];
        if let Some((a, b)) = inner.split_once(',')
            && let (Ok(a), Ok(b)) = (a.trim().parse::<i64>(), b.trim().parse::<i64>())
            && a <= b
        {
            limits.range = Some((a, b));
            break;
        }
        from = start + close;
    }
    limits
}

/// The largest number written right before `unit`.
fn largest_before(text: &str, unit: &str) -> Option<u64> {
    let mut largest: Option<u64> = None;
    let mut from = 0;
    while let Some(at) = text[from..].find(unit) {
        let end = from + at;
        if let Some(n) = trailing_number(&text[..end]) {
            largest = Some(largest.map_or(n, |b| b.max(n)));
        }
        from = end + unit.len();
    }
    largest
}

/// The number at the end of `text` (spaces and a hyphen allowed before the unit).
fn trailing_number(text: &str) -> Option<u64> {
    let trimmed = text.trim_end().trim_end_matches('-').trim_end();
    let digits: Vec<char> = trimmed
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.is_empty() {
        return None;
    }
    digits.into_iter().rev().collect::<String>().parse().ok()
}

/// The codes of the HTML return-code table: the first cell of every row that is a number.
/// Header rows (`<th>`) and rows whose first cell is not a number are skipped.
pub fn parse_code_table(description: &str) -> Vec<i64> {
    let mut codes: Vec<i64> = Vec::new();
    for row in description.split("<tr").skip(1) {
        let row = row.split("</tr>").next().unwrap_or("");
        let Some(cell_start) = row.find("<td") else {
            continue;
        };
        let cell = &row[cell_start..];
        let Some(gt) = cell.find('>') else {
            continue;
        };
        let cell = &cell[gt + 1..];
        let cell = cell.split("</td>").next().unwrap_or("");
        let text = strip_tags(cell);
        if let Ok(code) = text.trim().parse::<i64>()
            && !codes.contains(&code)
        {
            codes.push(code);
        }
    }
    codes
}

/// Text with HTML and MDX tags removed and whitespace collapsed.
pub fn strip_tags(text: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a description says the field is required only in some cases.
pub fn says_conditionally_required(description: &str) -> bool {
    let lower = description.to_lowercase();
    lower.contains("required when") || lower.contains("required if")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qps_note_forms() {
        let plain = parse_qps("Does things.\n\n<Note title=\"QPS Limit\"> 7 times/s</Note>");
        assert_eq!(
            plain,
            Some(QpsFacts {
                limit: 7,
                scope: QpsScopeHint::App,
                per_day: None
            })
        );
        let one = parse_qps("<Note title=\"Note\">QPS Limit: 1 time/s, group-level limit.</Note>");
        assert_eq!(
            one.map(|q| (q.limit, q.scope)),
            Some((1, QpsScopeHint::Group))
        );
        let room = parse_qps("  3 times/s, room-level limit");
        assert_eq!(room.map(|q| q.scope), Some(QpsScopeHint::Room));
        let daily = parse_qps("2 time/s, limited to 50 times within 24 hours.");
        assert_eq!(daily.and_then(|q| q.per_day), Some(50));
        let messages = parse_qps("<Warning>Counted as 9 messages/second, not calls.</Warning>");
        assert_eq!(
            messages.map(|q| (q.limit, q.scope)),
            Some((9, QpsScopeHint::Message))
        );
        assert_eq!(parse_qps("No limit is given here."), None);
    }

    #[test]
    fn listed_values_forms() {
        let values = parse_listed_values(
            "Kind of frob.\n- 0 (default): soft.\n- 1: (default) hard.\n- 2\u{ff1a}wide.\n<ul><li>3: odd.</li></ul>\n- Word: not a number.",
        );
        let numbers: Vec<(i64, bool)> = values.iter().map(|v| (v.value, v.is_default)).collect();
        assert_eq!(numbers, vec![(0, true), (1, true), (2, false), (3, false)]);
        assert!(
            parse_listed_values("- -1: none.")
                .iter()
                .any(|v| v.value == -1)
        );
    }

    #[test]
    fn prose_limits() {
        let limits = parse_limits("At most 64 bytes. Value range is [1, 500].");
        assert_eq!(limits.bytes, Some(64));
        assert_eq!(limits.range, Some((1, 500)));
        assert_eq!(parse_limits("Up to 50 characters.").chars, Some(50));
        assert_eq!(parse_limits("See [the page](/x).").range, None);
        assert_eq!(parse_limits("No more than 128-bytes").bytes, Some(128));
    }

    #[test]
    fn code_table_with_header_in_body_and_multiline_cells() {
        let table = "Return code.\n<table><tbody><tr><th>Return code</th><th>Description</th></tr>\n<tr><td>1234</td><td>x</td></tr>\n<tr>\n<td>\n5678\n</td>\n<td>y<br/>z</td>\n</tr>\n<tr><td><b>91</b></td></tr></tbody></table>";
        assert_eq!(parse_code_table(table), vec![1234, 5678, 91]);
        assert!(parse_code_table("See the page of codes.").is_empty());
    }

    #[test]
    fn conditional_requiredness() {
        assert!(says_conditionally_required("Required when Mode is 1."));
        assert!(!says_conditionally_required("Always needed."));
    }
}
