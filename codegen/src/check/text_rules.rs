//! Text and total limits of one field: `prefix`, `not_starting_with`, `max_total_bytes`,
//! and the configurable cap `max_items_default` beside `max_items`.

use super::source_map::{join_index, join_key};
use super::{At, Code, Reporter};
use crate::spec::{Field, ServiceSpec, TypeExpr};

/// Checks the keys of this module on `field`, whose type parsed as `ty`.
pub(crate) fn check(
    r: &mut Reporter<'_>,
    file: usize,
    path: &str,
    field: &Field,
    ty: &TypeExpr,
    service: Option<&ServiceSpec>,
) {
    let name = &field.name;
    let text = matches!(ty, TypeExpr::String)
        || matches!(ty, TypeExpr::Array(inner) if **inner == TypeExpr::String);
    for (key, value) in [
        ("prefix", &field.prefix),
        ("not_starting_with", &field.not_starting_with),
    ] {
        let Some(value) = value else { continue };
        let kpath = join_key(path, key);
        if !text {
            r.report(
                file,
                Code::LimitType,
                &kpath,
                At::Key,
                format!("`{key}` limits text, but `{name}` is {ty}"),
                Some("it applies to `string` and to the items of `array<string>`".into()),
            );
        } else if value.is_empty() {
            r.report(
                file,
                Code::LimitConflict,
                &kpath,
                At::Value,
                format!("`{key}` is empty"),
                Some("give the text, or remove the key".into()),
            );
        }
    }
    if let (Some(prefix), Some(banned)) = (&field.prefix, &field.not_starting_with)
        && !banned.is_empty()
        && prefix.starts_with(banned.as_str())
    {
        r.report(
            file,
            Code::LimitConflict,
            &join_key(path, "not_starting_with"),
            At::Value,
            format!("`{name}` must start with `{prefix}`, which starts with `{banned}`"),
            Some("no value can keep both rules; drop one".into()),
        );
    }
    let max_bytes = match ty {
        TypeExpr::String => field.max_bytes,
        _ => field.item_max_bytes.or(field.max_bytes),
    };
    if let (Some(prefix), Some(max)) = (&field.prefix, max_bytes)
        && prefix.len() as u64 > max
    {
        r.report(
            file,
            Code::LimitConflict,
            &join_key(path, "prefix"),
            At::Value,
            format!("the prefix alone is longer than {max} bytes"),
            Some("raise the byte limit or shorten the prefix".into()),
        );
    }
    if let Some(total) = &field.max_total_bytes {
        check_total(
            r,
            file,
            &join_key(path, "max_total_bytes"),
            field,
            ty,
            total,
            service,
        );
    }
    if let Some(default) = field.max_items_default {
        let dpath = join_key(path, "max_items_default");
        match field.max_items {
            _ if !matches!(ty, TypeExpr::Array(_) | TypeExpr::Map(_)) => r.report(
                file,
                Code::LimitType,
                &dpath,
                At::Key,
                format!("`max_items_default` caps items, but `{name}` is {ty}"),
                Some("it applies to arrays and maps".into()),
            ),
            None => r.report(
                file,
                Code::LimitConflict,
                &dpath,
                At::Key,
                "`max_items_default` without `max_items`",
                Some("`max_items` is the highest cap ZEGOCLOUD can set; give it too".into()),
            ),
            Some(hard) if default == 0 || default > hard => r.report(
                file,
                Code::LimitConflict,
                &dpath,
                At::Value,
                format!("the default cap {default} is not between 1 and `max_items` ({hard})"),
                Some("the default cap is at most the highest one".into()),
            ),
            Some(hard) if default == hard => r.report(
                file,
                Code::LimitConflict,
                &dpath,
                At::Value,
                format!("the default cap equals `max_items` ({hard})"),
                Some("a cap that cannot be raised needs only `max_items`".into()),
            ),
            Some(_) => {}
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn check_total(
    r: &mut Reporter<'_>,
    file: usize,
    path: &str,
    field: &Field,
    ty: &TypeExpr,
    total: &crate::spec::TotalBytes,
    service: Option<&ServiceSpec>,
) {
    let name = &field.name;
    // The items' fields: inline, or those of the shared object type of the items.
    let item_fields: &[Field] = match ty {
        TypeExpr::Array(inner) => match inner.as_ref() {
            TypeExpr::Named(shared) => service
                .and_then(|s| s.types.get(shared))
                .map(|def| def.fields.as_slice())
                .unwrap_or(&[]),
            _ => &field.fields,
        },
        _ => &field.fields,
    };
    if total.max == 0 {
        r.report(
            file,
            Code::LimitConflict,
            &join_key(path, "max"),
            At::Value,
            "a total of 0 bytes allows nothing",
            Some("give the documented total".into()),
        );
    }
    match ty {
        TypeExpr::Map(inner) if **inner == TypeExpr::String => {
            if !total.of.is_empty() {
                r.report(
                    file,
                    Code::TotalBytesField,
                    &join_key(path, "of"),
                    At::Key,
                    format!("`{name}` is a map: all its keys and values count"),
                    Some("remove `of`".into()),
                );
            }
        }
        TypeExpr::Array(inner) if matches!(**inner, TypeExpr::Object | TypeExpr::Named(_)) => {
            if total.of.is_empty() {
                r.report(
                    file,
                    Code::TotalBytesField,
                    path,
                    At::Key,
                    "`max_total_bytes` of an `array<object>` needs `of`",
                    Some(
                        "list the string fields of the items that count: `of: [Key, Value]`".into(),
                    ),
                );
            }
            for (k, item) in total.of.iter().enumerate() {
                let fits = item_fields.iter().any(|f| {
                    &f.name == item
                        && f.ty.as_deref().and_then(|t| TypeExpr::parse(t).ok())
                            == Some(TypeExpr::String)
                });
                if !fits {
                    let names: Vec<String> = item_fields
                        .iter()
                        .filter(|f| f.ty.as_deref() == Some("string"))
                        .map(|f| f.name.clone())
                        .collect();
                    r.report(
                        file,
                        Code::TotalBytesField,
                        &join_index(&join_key(path, "of"), k),
                        At::Value,
                        format!("the items of `{name}` have no string field `{item}`"),
                        super::keys::did_you_mean(&super::keys::near_names(item, &names)).or_else(
                            || Some(format!("string fields of the items: {}", names.join(", "))),
                        ),
                    );
                }
            }
        }
        _ => r.report(
            file,
            Code::LimitType,
            path,
            At::Key,
            format!("`max_total_bytes` adds up texts, but `{name}` is {ty}"),
            Some("it applies to `map<string>`, and to arrays of objects with `of:`".into()),
        ),
    }
}
