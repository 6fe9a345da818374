//! Reuse with more: a shared object type that `extends` another, and `values_add` on a field
//! that takes its values from `use:` or from the extended type.
//!
//! Runs after `use:` merging and before the semantic rules, so the rules, the generator and
//! `diff` all see the resolved fields (with the added values, and `values_add` emptied).

use std::collections::BTreeMap;

use super::source_map::{join_index, join_key};
use super::{At, Code, Reporter};
use crate::spec::{ActionSpec, Field, ServiceSpec, TypeDef};

/// Longest chain of `extends` followed.
const MAX_CHAIN: usize = 16;

pub(crate) fn resolve(
    r: &mut Reporter<'_>,
    service_file: Option<usize>,
    service: Option<&mut ServiceSpec>,
    actions: &mut [(usize, ActionSpec)],
) {
    if let (Some(service), Some(file)) = (service, service_file) {
        resolve_extends(r, file, &mut service.types);
        for (name, def) in service.types.iter_mut() {
            let base = join_key(&join_key("types", name), "fields");
            add_values(r, file, &base, &mut def.fields, 0);
            for (i, variant) in def.variants.iter_mut().enumerate() {
                let vpath = join_key(
                    &join_index(&join_key(&join_key("types", name), "variants"), i),
                    "fields",
                );
                add_values(r, file, &vpath, &mut variant.fields, 0);
            }
        }
    }
    for (file, action) in actions.iter_mut() {
        add_values(r, *file, "request", &mut action.request, 0);
        add_values(r, *file, "response", &mut action.response, 0);
    }
}

/// Replaces the fields of every extending type by the base's fields with its own merged in.
fn resolve_extends(r: &mut Reporter<'_>, file: usize, types: &mut BTreeMap<String, TypeDef>) {
    let original = types.clone();
    for (name, def) in types.iter_mut() {
        let Some(base_name) = def.extends.clone() else {
            continue;
        };
        let path = join_key(&join_key("types", name), "extends");
        let mut chain = vec![name.clone()];
        match base_fields(&original, &base_name, &mut chain) {
            Ok(fields) if !def.variants.is_empty() => {
                let _ = fields;
                r.report(
                    file,
                    Code::Extends,
                    &path,
                    At::Key,
                    format!("`{name}` has variants; only object types extend"),
                    Some("remove `variants` or `extends`".into()),
                );
            }
            Ok(fields) => def.fields = overlay(fields, &def.fields),
            Err(problem) => {
                let names: Vec<String> = original.keys().cloned().collect();
                let hint = match problem {
                    Problem::Unknown(_) => {
                        super::keys::did_you_mean(&super::keys::near_names(&base_name, &names))
                            .or_else(|| Some("shared types live under `types:`".into()))
                    }
                    Problem::Variants(_) => {
                        Some("extend an object type (one with `fields`)".into())
                    }
                    Problem::Cycle => {
                        Some("a type cannot extend itself, even through others".into())
                    }
                };
                let message = match problem {
                    Problem::Unknown(missing) => format!("no shared type named `{missing}`"),
                    Problem::Variants(base) => format!("`{base}` is a variant type"),
                    Problem::Cycle => format!("`{name}` extends itself"),
                };
                r.report(file, Code::Extends, &path, At::Value, message, hint);
            }
        }
    }
}

enum Problem {
    Unknown(String),
    Variants(String),
    Cycle,
}

/// The resolved fields of `name`, following its own `extends`.
fn base_fields(
    types: &BTreeMap<String, TypeDef>,
    name: &str,
    chain: &mut Vec<String>,
) -> Result<Vec<Field>, Problem> {
    if chain.iter().any(|c| c == name) || chain.len() > MAX_CHAIN {
        return Err(Problem::Cycle);
    }
    let def = types
        .get(name)
        .ok_or_else(|| Problem::Unknown(name.to_owned()))?;
    if !def.variants.is_empty() {
        return Err(Problem::Variants(name.to_owned()));
    }
    match &def.extends {
        Some(next) => {
            chain.push(name.to_owned());
            let fields = base_fields(types, next, chain)?;
            Ok(overlay(fields, &def.fields))
        }
        None => Ok(def.fields.clone()),
    }
}

/// `base` with `own` on top: a field of the same wire name takes the keys `own` gives (values
/// it adds with `values_add` are appended later); other fields of `own` come after.
fn overlay(mut base: Vec<Field>, own: &[Field]) -> Vec<Field> {
    for field in own {
        match base.iter_mut().find(|b| b.name == field.name) {
            Some(inherited) => {
                let mut merged = field.clone();
                super::rules::merge_field(&mut merged, inherited);
                *inherited = merged;
            }
            None => base.push(field.clone()),
        }
    }
    base
}

/// Appends `values_add` to the values of every field below `path`.
fn add_values(r: &mut Reporter<'_>, file: usize, path: &str, fields: &mut [Field], depth: usize) {
    if depth > 64 {
        return;
    }
    for (i, field) in fields.iter_mut().enumerate() {
        let fpath = join_index(path, i);
        if !field.values_add.is_empty() {
            let apath = join_key(&fpath, "values_add");
            if field.values.is_empty() {
                r.report(
                    file,
                    Code::ValuesAdd,
                    &apath,
                    At::Key,
                    format!("`{}` has no values to add to", field.name),
                    Some("`values_add` extends values from `use:` or an extended type; list them under `values:`".into()),
                );
            }
            for (k, value) in std::mem::take(&mut field.values_add)
                .into_iter()
                .enumerate()
            {
                if let Some(have) = field
                    .values
                    .iter()
                    .find(|v| v.value == value.value || v.name == value.name)
                {
                    r.report(
                        file,
                        Code::ValuesAdd,
                        &join_index(&apath, k),
                        At::Value,
                        format!(
                            "`{}` has `{}` ({}) already",
                            field.name,
                            have.name,
                            crate::diff::compare::scalar_text(&have.value)
                        ),
                        Some(
                            "add only values it does not have, under names it does not use".into(),
                        ),
                    );
                } else {
                    field.values.push(value);
                }
            }
        }
        add_values(
            r,
            file,
            &join_key(&fpath, "fields"),
            &mut field.fields,
            depth + 1,
        );
    }
}
