//! Numbers a generated validator must be able to hold.
//!
//! Lengths and counts are `u64` in the format, but no string, array or map a client sends
//! comes near `u32::MAX` (4 GiB of text, four billion items), and the runtime compares them
//! with `usize` lengths, which are 32 bits wide on some targets. A larger limit is a typo or
//! a hostile file, not a fact about the API, so it is refused here rather than carried into
//! generated code.

use super::source_map::join_key;
use super::{At, Code, Reporter};
use crate::spec::Field;

/// The largest length or count limit a spec may state.
pub(crate) const MAX_LENGTH_LIMIT: u64 = u32::MAX as u64;

/// Reports every length or count limit of `field` above [`MAX_LENGTH_LIMIT`].
pub(crate) fn check_field_limits(r: &mut Reporter<'_>, file: usize, path: &str, field: &Field) {
    for (key, value) in [
        ("max_bytes", field.max_bytes),
        ("max_chars", field.max_chars),
        ("min_len", field.min_len),
        ("min_items", field.min_items),
        ("max_items", field.max_items),
        ("item_max_bytes", field.item_max_bytes),
        ("item_max_chars", field.item_max_chars),
    ] {
        if let Some(value) = value.filter(|v| *v > MAX_LENGTH_LIMIT) {
            r.report(
                file,
                Code::LimitTooLarge,
                &join_key(path, key),
                At::Value,
                format!(
                    "`{key}: {value}` is larger than any value can be ({MAX_LENGTH_LIMIT} at most)"
                ),
                Some("give the documented limit, or remove the key if there is none".into()),
            );
        }
    }
}
