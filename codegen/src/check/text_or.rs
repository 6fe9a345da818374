//! `string | T`: a field the server sends either as text or as an object. The parser takes
//! any `T`; only here, with the service at hand, can `T` be told to be an object.

use super::{At, Code, Reporter};
use crate::spec::{Field, ServiceSpec, TypeExpr};

/// Checks every `string | T` in `ty` (the parsed type of `field`, written at `type_path`);
/// false when one is wrong, so the field's other rules are not checked against it.
pub(crate) fn check(
    r: &mut Reporter<'_>,
    file: usize,
    type_path: &str,
    field: &Field,
    ty: &TypeExpr,
    service: Option<&ServiceSpec>,
) -> bool {
    let Some(other) = object_side(ty) else {
        return true;
    };
    let problem = match other {
        TypeExpr::Object => None,
        TypeExpr::Named(name) => match service.and_then(|s| s.types.get(name)) {
            // An unknown name is reported (E0011) by the caller.
            None => None,
            Some(def) if !def.variants.is_empty() => Some((
                format!("`{name}` is a variant type, not an object type"),
                "a variant needs a selector, which `string | T` has no place for; name an object type (one with `fields`)".to_owned(),
            )),
            Some(_) => None,
        },
        other => Some((
            format!("the other side of `string | {other}` is not an object"),
            if matches!(other, TypeExpr::Json(_)) {
                "`json<T>` is text already; write `json<T>` alone".to_owned()
            } else {
                "write `string | object` with `fields:`, or `string | SharedType`".to_owned()
            },
        )),
    };
    match problem {
        Some((message, hint)) => {
            r.report(
                file,
                Code::TextOrObject,
                type_path,
                At::Value,
                format!("`{}`: {message}", field.name),
                Some(hint),
            );
            false
        }
        None => true,
    }
}

/// The `T` of the `string | T` in `ty`, under arrays and maps.
fn object_side(ty: &TypeExpr) -> Option<&TypeExpr> {
    match ty {
        TypeExpr::TextOr(inner) => Some(inner),
        TypeExpr::Array(inner) | TypeExpr::Map(inner) | TypeExpr::Json(inner) => object_side(inner),
        _ => None,
    }
}
