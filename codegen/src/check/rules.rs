//! Semantic rules: everything serde cannot see.

use super::Reporter;
use crate::spec::{ActionSpec, ServiceSpec};

/// Merges `use:` definitions and checks the service and every action.
pub(crate) fn check(
    reporter: &mut Reporter<'_>,
    service_file: Option<usize>,
    service: Option<&mut ServiceSpec>,
    actions: &mut [(usize, ActionSpec)],
) {
    let _ = (reporter, service_file, service, actions);
}
