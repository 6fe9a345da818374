//! Entries of the API changelog (`CHANGELOG-API.md`), made from a diff.
//!
//! The file starts with a header (everything before the first `## ` line), followed by
//! entries, newest first. A new entry goes right below the header.

use std::fmt::Write;
use std::path::Path;

use super::markdown::{code, item};
use super::{DiffError, Report};

/// Header of a changelog file created from scratch.
pub const DEFAULT_HEADER: &str = "# ZIM server API changelog\n\n\
Changes of the API as described by `spec/`, newest first. Each entry comes from\n\
`zim-codegen changelog`; changes that break code written against the previous client are\n\
marked **BREAKING**.\n";

/// One dated entry, ending with a newline.
pub fn entry(report: &Report, date: &str) -> String {
    let mut out = format!("## {date}\n\n");
    let summary = report.summary();
    if summary.total == 0 {
        let _ = writeln!(
            out,
            "No API changes between {} and {}.",
            code(&report.old_label),
            code(&report.new_label)
        );
        return out;
    }
    let _ = writeln!(
        out,
        "Compared {} with {}: {} {}, {} breaking.",
        code(&report.old_label),
        code(&report.new_label),
        summary.total,
        if summary.total == 1 {
            "change"
        } else {
            "changes"
        },
        summary.breaking
    );
    for (title, breaking) in [("Breaking", true), ("Other", false)] {
        let changes: Vec<_> = report
            .changes
            .iter()
            .filter(|c| c.breaking == breaking)
            .collect();
        if changes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n### {title}\n");
        for change in changes {
            let scope = match &change.action {
                Some(action) => code(action),
                None => "service".to_owned(),
            };
            let flag = if breaking { "**BREAKING** " } else { "" };
            let _ = writeln!(out, "- {flag}{scope}: {}", item(change));
        }
    }
    out
}

/// `text` with `entry` inserted below its header; an empty `text` gets the default header.
pub fn insert_entry(text: &str, entry: &str) -> String {
    let (header, rest) = if text.trim().is_empty() {
        (DEFAULT_HEADER, "")
    } else {
        match find_first_entry(text) {
            Some(at) => (&text[..at], &text[at..]),
            None => (text, ""),
        }
    };
    let mut out = header.trim_end().to_owned();
    out.push_str("\n\n");
    out.push_str(entry.trim_end());
    out.push('\n');
    if !rest.is_empty() {
        out.push('\n');
        out.push_str(rest.trim_end());
        out.push('\n');
    }
    out
}

/// Byte offset of the first line that starts an entry (`## `).
fn find_first_entry(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("## ") {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// Prepends `entry` to the changelog at `path`, creating the file if it is missing.
pub fn prepend(path: &Path, entry: &str) -> Result<(), DiffError> {
    let io = |err: std::io::Error| DiffError::Io {
        path: path.to_owned(),
        message: err.to_string(),
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) => return Err(io(err)),
    };
    std::fs::write(path, insert_entry(&text, entry)).map_err(io)
}

/// Checks that `date` is `YYYY-MM-DD` with a real month and day.
pub fn check_date(date: &str) -> Result<(), DiffError> {
    let bad = || DiffError::BadDate(date.to_owned());
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts[..] else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let num = |s: &str| -> Result<u32, DiffError> {
        if s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let (y, m, d) = (num(y)?, num(m)?, num(d)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if d == 0 || d > days {
        return Err(bad());
    }
    Ok(())
}

/// Today's date in UTC as `YYYY-MM-DD`.
pub fn today_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    date_from_unix_days((secs / 86_400) as i64)
}

/// The civil date of a day count since 1970-01-01 (proleptic Gregorian calendar).
pub fn date_from_unix_days(days: i64) -> String {
    // Shift to an era-based count starting 0000-03-01, so leap days end each cycle.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Everything `zim-codegen changelog` does: diff, then prepend a dated entry to `file`.
pub fn run_changelog(
    old: &str,
    new: &str,
    workdir: &Path,
    file: &Path,
    date: Option<&str>,
) -> Result<Report, DiffError> {
    let date = match date {
        Some(date) => {
            check_date(date)?;
            date.to_owned()
        }
        None => today_utc(),
    };
    let report = super::load_and_diff(old, new, workdir)?;
    prepend(file, &entry(&report, &date))?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(date_from_unix_days(0), "1970-01-01");
        assert_eq!(date_from_unix_days(11_016), "2000-02-29");
        assert_eq!(date_from_unix_days(19_782), "2024-02-29");
        assert_eq!(date_from_unix_days(-1), "1969-12-31");
    }

    #[test]
    fn dates_are_checked() {
        assert!(check_date("2024-02-29").is_ok());
        assert!(check_date("2023-02-29").is_err());
        assert!(check_date("2024-13-01").is_err());
        assert!(check_date("24-01-01").is_err());
        assert!(check_date("2024-1-01").is_err());
    }

    #[test]
    fn entries_go_below_the_header() {
        let text = "# Log\n\nIntro.\n\n## 2024-01-01\n\nOld.\n";
        let out = insert_entry(text, "## 2024-02-01\n\nNew.\n");
        assert_eq!(
            out,
            "# Log\n\nIntro.\n\n## 2024-02-01\n\nNew.\n\n## 2024-01-01\n\nOld.\n"
        );
        let fresh = insert_entry("", "## 2024-02-01\n\nNew.\n");
        assert!(fresh.starts_with(DEFAULT_HEADER.trim_end()));
        assert!(fresh.ends_with("## 2024-02-01\n\nNew.\n"));
    }
}
