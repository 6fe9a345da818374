//! Rules across request fields (`rules:` of an action, or of a request field's own object):
//! `one_of`, `at_least_one_of` and `required_if`. Each rule names fields of the same level
//! that can be left out (a required field is always set, so a rule over it says nothing); a
//! condition names a field of a fitting type (`has_flag` a flags field and its flag names,
//! `equals` a value of the type).

use super::source_map::{join_index, join_key};
use super::{At, Code, Reporter};
use crate::spec::{ActionSpec, Condition, CrossFieldRule, Field, Scalar, TypeExpr, ValuesKind};

/// Checks every rule of `action` (whose `use:` definitions are merged).
pub(crate) fn check(r: &mut Reporter<'_>, file: usize, action: &ActionSpec) {
    for (i, rule) in action.rules.iter().enumerate() {
        let scope = Scope::Request;
        check_rule(
            r,
            file,
            &join_index("rules", i),
            rule,
            &action.request,
            scope,
        );
    }
}

/// Checks the `rules:` of `field` (at `path`): rules over the fields of its own object, in a
/// request (`in_request`); `has_object` tells whether its type has an inline `object`.
pub(crate) fn check_nested(
    r: &mut Reporter<'_>,
    file: usize,
    path: &str,
    field: &Field,
    has_object: bool,
    in_request: bool,
) {
    if field.rules.is_empty() {
        return;
    }
    let rpath = join_key(path, "rules");
    if !has_object || !in_request {
        r.report(
            file,
            Code::RuleShape,
            &rpath,
            At::Key,
            if in_request {
                format!("`{}` has no fields of its own for rules", field.name)
            } else {
                format!("rules on `{}`, which is not sent in a request", field.name)
            },
            Some(
                "`rules:` go beside the `fields:` of a request field typed `object`, `array<object>` or `map<object>`"
                    .into(),
            ),
        );
        return;
    }
    for (i, rule) in field.rules.iter().enumerate() {
        let scope = Scope::Object(&field.name);
        check_rule(r, file, &join_index(&rpath, i), rule, &field.fields, scope);
    }
}

/// Whose fields a rule names, for the words of a diagnostic.
#[derive(Clone, Copy)]
enum Scope<'a> {
    Request,
    /// The fields of the object of the named field.
    Object(&'a str),
}

impl Scope<'_> {
    fn missing(self, name: &str) -> String {
        match self {
            Scope::Request => format!("no request field named `{name}`"),
            Scope::Object(owner) => format!("the object of `{owner}` has no field `{name}`"),
        }
    }
    fn hint(self) -> &'static str {
        match self {
            Scope::Request => "rules name top-level request fields by wire name",
            Scope::Object(_) => "rules of an object name its own fields by wire name",
        }
    }
}

fn check_rule(
    r: &mut Reporter<'_>,
    file: usize,
    path: &str,
    rule: &CrossFieldRule,
    request: &[Field],
    scope: Scope<'_>,
) {
    let kinds = [
        rule.one_of.is_some(),
        rule.at_least_one_of.is_some(),
        rule.required_if.is_some(),
    ];
    let given = kinds.iter().filter(|k| **k).count();
    if given != 1 {
        r.report(
            file,
            Code::RuleShape,
            path,
            At::Key,
            if given == 0 {
                "the rule says nothing".to_owned()
            } else {
                "the rule has more than one kind".to_owned()
            },
            Some(
                "give one of `one_of: [A, B]`, `at_least_one_of: [A, B]`, `required_if: {field: A, when: ..}` per list item"
                    .into(),
            ),
        );
    }
    for (key, list) in [
        ("one_of", &rule.one_of),
        ("at_least_one_of", &rule.at_least_one_of),
    ] {
        let Some(names) = list else { continue };
        let lpath = join_key(path, key);
        if names.len() < 2 {
            r.report(
                file,
                Code::RuleShape,
                &lpath,
                At::Value,
                format!("`{key}` needs at least two fields"),
                Some("for a single field, make it `required: true`".into()),
            );
        }
        for (k, name) in names.iter().enumerate() {
            let npath = join_index(&lpath, k);
            if names[..k].contains(name) {
                r.report(
                    file,
                    Code::RuleShape,
                    &npath,
                    At::Value,
                    format!("`{name}` is listed twice"),
                    Some("list each field once".into()),
                );
                continue;
            }
            if let Some(field) = find(r, file, &npath, name, request, scope) {
                optional_only(r, file, &npath, field);
            }
        }
    }
    if let Some(required_if) = &rule.required_if {
        let rpath = join_key(path, "required_if");
        let fpath = join_key(&rpath, "field");
        let target = find(r, file, &fpath, &required_if.field, request, scope);
        if let Some(field) = target {
            optional_only(r, file, &fpath, field);
        }
        let when = &required_if.when;
        let wpath = join_key(&rpath, "when");
        if when.field == required_if.field {
            r.report(
                file,
                Code::RuleFit,
                &join_key(&wpath, "field"),
                At::Value,
                format!("`{}` cannot depend on itself", when.field),
                Some("name the field whose value makes it required".into()),
            );
        } else if let Some(field) = find(
            r,
            file,
            &join_key(&wpath, "field"),
            &when.field,
            request,
            scope,
        ) {
            check_condition(r, file, &wpath, when, field);
        }
    }
}

/// The top-level request field `name`, or a diagnostic at `path`.
fn find<'a>(
    r: &mut Reporter<'_>,
    file: usize,
    path: &str,
    name: &str,
    request: &'a [Field],
    scope: Scope<'_>,
) -> Option<&'a Field> {
    let found = request.iter().find(|f| f.name == name);
    if found.is_none() {
        let names: Vec<String> = request.iter().map(|f| f.name.clone()).collect();
        let near = super::keys::near_names(name, &names);
        r.report(
            file,
            Code::RuleField,
            path,
            At::Value,
            scope.missing(name),
            super::keys::did_you_mean(&near).or_else(|| Some(scope.hint().into())),
        );
    }
    found
}

fn optional_only(r: &mut Reporter<'_>, file: usize, path: &str, field: &Field) {
    if field.required == Some(true) {
        r.report(
            file,
            Code::RuleFit,
            path,
            At::Value,
            format!("`{}` is required, so it is always set", field.name),
            Some(
                "rules are about fields that can be left out: drop `required: true` or the rule"
                    .into(),
            ),
        );
    }
}

fn check_condition(r: &mut Reporter<'_>, file: usize, path: &str, when: &Condition, field: &Field) {
    let ty = field.ty.as_deref().and_then(|t| TypeExpr::parse(t).ok());
    let flags = field.values_kind == Some(ValuesKind::Flags);
    match (&when.equals, when.has_flag.is_empty()) {
        (Some(_), false) | (None, true) => r.report(
            file,
            Code::RuleShape,
            path,
            At::Key,
            "a condition needs exactly one of `equals` and `has_flag`",
            Some(
                "write `when: {field: X, equals: 200}` or `when: {field: X, has_flag: [Name]}`"
                    .into(),
            ),
        ),
        (None, false) => {
            if !flags {
                r.report(
                    file,
                    Code::RuleFit,
                    &join_key(path, "has_flag"),
                    At::Key,
                    format!("`{}` is not a flags field", field.name),
                    Some("`has_flag` needs a field with `values_kind: flags`; use `equals`".into()),
                );
                return;
            }
            for (k, flag) in when.has_flag.iter().enumerate() {
                if !field.values.iter().any(|v| &v.name == flag) {
                    let names: Vec<String> = field.values.iter().map(|v| v.name.clone()).collect();
                    r.report(
                        file,
                        Code::RuleFit,
                        &join_index(&join_key(path, "has_flag"), k),
                        At::Value,
                        format!("`{}` has no flag named `{flag}`", field.name),
                        super::keys::did_you_mean(&super::keys::near_names(flag, &names))
                            .or_else(|| Some(format!("its flags: {}", names.join(", ")))),
                    );
                }
            }
        }
        (Some(value), true) => {
            let epath = join_key(path, "equals");
            let fits = match (ty.as_ref(), value) {
                (Some(TypeExpr::String), Scalar::Str(_))
                | (Some(TypeExpr::Bool), Scalar::Bool(_)) => true,
                (Some(t), Scalar::Int(_)) => t.is_integer() && !flags,
                _ => false,
            };
            if !fits {
                r.report(
                    file,
                    Code::RuleFit,
                    &epath,
                    At::Value,
                    format!(
                        "`equals` does not fit `{}` ({})",
                        field.name,
                        field.ty.as_deref().unwrap_or("no type")
                    ),
                    Some(if flags {
                        "a flags field is tested with `has_flag`".into()
                    } else {
                        "compare a string, integer or bool field with a value of its type".into()
                    }),
                );
            } else if field.values_kind.unwrap_or(ValuesKind::Closed) == ValuesKind::Closed
                && !field.values.is_empty()
                && !field.values.iter().any(|v| &v.value == value)
            {
                r.report(
                    file,
                    Code::RuleFit,
                    &epath,
                    At::Value,
                    format!("`{}` cannot hold this value", field.name),
                    Some("pick one of the field's `values:`".into()),
                );
            }
        }
    }
}
