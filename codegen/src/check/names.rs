//! Names the generator derives, checked before anything is generated: every module (and file),
//! type, trait and client method of the generated code must be one name for one thing.
//!
//! The names are computed with the generator's own functions (`generate::names`), so the check
//! and the output cannot disagree. Two things of the spec that become one name, or a name that
//! the generated code already uses for something of its own (the `shared` module,
//! `Client::pages`, a catch-all `Unknown` variant), are reported at the later of the two, with
//! the other named in the message. Collisions of names the generator makes up itself (nested
//! objects without a `type_name`) are not errors: it settles those by prefixing the parent's
//! name.

use std::collections::HashMap;

use heck::ToUpperCamelCase;

use super::source_map::{join_index, join_key};
use super::{At, Code, Reporter};
use crate::generate::ir::stated_type_names;
use crate::generate::names as generated;
use crate::spec::{ActionSpec, Field, ReturnCodeRef, ServiceSpec, ValuesKind};

/// Deepest nesting of fields followed (the YAML depth limit keeps real nesting far below).
const MAX_NESTING: usize = 64;

/// Who holds a name.
#[derive(Debug, Clone)]
enum Holder {
    /// Something of the spec: its file, YAML path and what it is (`action \`GetUser\``).
    Spec {
        file: usize,
        path: String,
        what: String,
    },
    /// The generated code itself, for the given purpose.
    Generated(&'static str),
}

/// One namespace of the generated code: names and who holds them.
struct Scope {
    /// What the names are, for messages (`module`, `type`, `client method`).
    kind: &'static str,
    /// Where, for messages (`in category \`user\``); empty for the top level.
    place: String,
    taken: HashMap<String, Holder>,
}

impl Scope {
    fn new(kind: &'static str, place: impl Into<String>) -> Scope {
        Scope {
            kind,
            place: place.into(),
            taken: HashMap::new(),
        }
    }

    /// Marks `names` as used by the generated code for `why`.
    fn reserve(mut self, names: &[&str], why: &'static str) -> Scope {
        for name in names {
            self.taken
                .insert((*name).to_owned(), Holder::Generated(why));
        }
        self
    }

    /// Gives `name` to the spec item at `path` (described by `what`), or reports who has it;
    /// `false` when it reported.
    fn claim(
        &mut self,
        r: &mut Reporter<'_>,
        file: usize,
        path: &str,
        what: &str,
        name: &str,
    ) -> bool {
        let other = match self.taken.get(name) {
            None => {
                self.taken.insert(
                    name.to_owned(),
                    Holder::Spec {
                        file,
                        path: path.to_owned(),
                        what: what.to_owned(),
                    },
                );
                return true;
            }
            Some(Holder::Generated(why)) => format!("the generated code uses it for {why}"),
            Some(Holder::Spec {
                file: other_file,
                path: other_path,
                what: other_what,
            }) => {
                let shown = r
                    .files
                    .get(*other_file)
                    .map(|f| super::diagnostics::display_path(&f.shown))
                    .unwrap_or_default();
                format!("{other_what} has it already ({shown}, at `{other_path}`)")
            }
        };
        let place = if self.place.is_empty() {
            String::new()
        } else {
            format!(" {}", self.place)
        };
        r.report(
            file,
            Code::NameCollision,
            path,
            At::Value,
            format!(
                "{what} becomes the {} `{name}`{place}, but {other}",
                self.kind
            ),
            Some(hint(path)),
        );
        false
    }
}

/// What to change, by the key at the end of `path`.
fn hint(path: &str) -> String {
    let key = path.rsplit('.').next().unwrap_or(path);
    match key {
        "category" => "rename the category (and its folder under `actions/`)".into(),
        "name" if !path.contains('[') => {
            "give the action a `rust_name:` (its wire name stays as it is)".into()
        }
        "type_name" => "give it another `type_name:`".into(),
        _ => "give it another name".into(),
    }
}

/// Checks every generated name of the service and the actions. Items whose own names are
/// malformed (reported as E0034) are left out.
pub(crate) fn check(
    r: &mut Reporter<'_>,
    service_file: Option<usize>,
    service: Option<&ServiceSpec>,
    actions: &[(usize, ActionSpec)],
) {
    if let (Some(service), Some(file)) = (service, service_file) {
        check_service(r, file, service);
    }
    // An action defined twice is E0030.
    let mut seen_actions: HashMap<&str, ()> = HashMap::new();
    let actions: Vec<&(usize, ActionSpec)> = actions
        .iter()
        .filter(|(_, a)| is_upper_camel(&a.name) && is_snake(&a.category))
        .filter(|(_, a)| a.rust_name.as_deref().is_none_or(is_snake))
        .filter(|(_, a)| seen_actions.insert(&a.name, ()).is_none())
        .collect();

    // Top level: one module per category, next to the generated ones; one trait per category.
    let mut modules = Scope::new("module", "").reserve(
        generated::TOP_MODULES,
        "its own top-level modules (`charsets`, `return_codes`, `shared`, `prelude`)",
    );
    let mut traits = Scope::new("client trait", "in the prelude");
    let mut seen_categories: HashMap<&str, ()> = HashMap::new();
    for (file, action) in &actions {
        if seen_categories.insert(&action.category, ()).is_some() {
            continue;
        }
        let what = format!("category `{}`", action.category);
        let module = generated::module_name(&action.category);
        let category_trait = format!("{}Actions", generated::type_name(&module));
        let _ = modules.claim(r, *file, "category", &what, &module)
            && traits.claim(r, *file, "category", &what, &category_trait);
    }

    // Per category: one module and three types per action, re-exported side by side.
    let mut per_category: HashMap<&str, (Scope, Scope)> = HashMap::new();
    // Every category's trait is in the prelude: their methods share one namespace, next to
    // the methods `Client` has of its own.
    let mut methods = Scope::new("client method", "").reserve(
        generated::CLIENT_METHODS,
        "a method of `zim_client::Client` (calls would reach that one)",
    );
    for (file, action) in &actions {
        let (action_modules, action_types) =
            per_category.entry(&action.category).or_insert_with(|| {
                let place = format!("in category `{}`", action.category);
                (
                    Scope::new("module", place.clone()),
                    Scope::new("type", place),
                )
            });
        let (path, what) = match &action.rust_name {
            Some(_) => (
                "rust_name",
                format!("the `rust_name` of action `{}`", action.name),
            ),
            None => ("name", format!("action `{}`", action.name)),
        };
        // One report per action: two actions that share a module share their types too.
        let request = format!("{}Request", generated::action_type_base(action));
        let method = generated::field_name(generated::action_words(action));
        let _ = action_modules.claim(r, *file, path, &what, &generated::action_module(action))
            && action_types.claim(r, *file, path, &what, &request)
            && methods.claim(r, *file, path, &what, &method);
        check_action_types(r, *file, service, action);
        check_code_names(r, *file, service, action);
    }
}

/// The types of one action's module: its request, response and code enum, and the objects and
/// enums given a `type_name`.
fn check_action_types(
    r: &mut Reporter<'_>,
    file: usize,
    service: Option<&ServiceSpec>,
    action: &ActionSpec,
) {
    let base = generated::action_type_base(action);
    let mut types = Scope::new("type", format!("of action `{}`", action.name));
    for suffix in ["Request", "Response", "Code"] {
        types.taken.insert(
            format!("{base}{suffix}"),
            Holder::Generated("the action's request, response or code enum"),
        );
    }
    for (list, fields) in [("request", &action.request), ("response", &action.response)] {
        explicit_types(r, file, service, list, fields, &mut types);
        value_names(r, file, service, list, fields, 0);
    }
}

/// Claims the `type_name` of every object or enum that `fields` (and their fields) define in
/// the module being generated.
fn explicit_types(
    r: &mut Reporter<'_>,
    file: usize,
    service: Option<&ServiceSpec>,
    path: &str,
    fields: &[Field],
    types: &mut Scope,
) {
    let mut stated = Vec::new();
    stated_type_names(service, path, fields, 0, &mut stated);
    for name in stated {
        // Malformed names are E0034.
        if !is_upper_camel(&name.given) {
            continue;
        }
        check_reserved_type(r, file, &name.path, &name.given);
        let what = format!("the `type_name` of `{}`", name.field);
        types.claim(r, file, &name.path, &what, &name.rust_name);
    }
}

/// A stated type name that generated code relies on from a prelude, which the generator would
/// suffix with `Type`.
fn check_reserved_type(r: &mut Reporter<'_>, file: usize, path: &str, name: &str) {
    let pascal = generated::pascal(name);
    if generated::type_name(name) != pascal {
        r.report(
            file,
            Code::NameCollision,
            path,
            At::Value,
            format!(
                "the type name `{name}` is one generated code uses from Rust's or zim-client's \
                 prelude; the type would be called `{}`",
                generated::type_name(name)
            ),
            Some(hint(path)),
        );
    }
}

/// The variants of every enum `fields` define: their catch-all variant (`Unknown` for closed
/// values, `Other` for open ones, `ALL` and `EMPTY` of flags) is not a value's name, and no two
/// values become one variant where their names differ (names given twice are E0033).
fn value_names(
    r: &mut Reporter<'_>,
    file: usize,
    service: Option<&ServiceSpec>,
    path: &str,
    fields: &[Field],
    depth: usize,
) {
    if depth > MAX_NESTING {
        return;
    }
    for (i, field) in fields.iter().enumerate() {
        let fpath = join_index(path, i);
        // Values taken over from a reusable definition are checked there.
        let inherited = field
            .use_def
            .as_ref()
            .and_then(|key| service?.fields.get(key))
            .is_some_and(|def| def.values == field.values);
        if !inherited {
            field_value_names(r, file, &fpath, field);
        }
        value_names(
            r,
            file,
            service,
            &join_key(&fpath, "fields"),
            &field.fields,
            depth + 1,
        );
    }
}

/// [`value_names`] of one field at `path`.
fn field_value_names(r: &mut Reporter<'_>, file: usize, path: &str, field: &Field) {
    if field.values.is_empty() {
        return;
    }
    let kind = field.values_kind.unwrap_or(ValuesKind::Closed);
    let place = format!("of `{}`", field.name);
    let mut variants = match kind {
        ValuesKind::Closed => Scope::new("variant", place)
            .reserve(&["Unknown"], "the variant of values it does not know"),
        ValuesKind::Open => {
            Scope::new("variant", place).reserve(&["Other"], "the variant of other values")
        }
        ValuesKind::Flags => Scope::new("constant", place)
            .reserve(&["ALL", "EMPTY"], "the sets of every flag and of none"),
    };
    let mut stated: HashMap<String, ()> = HashMap::new();
    for (j, value) in field.values.iter().enumerate() {
        if !is_upper_camel(&value.name)
            || stated
                .insert(value.name.to_upper_camel_case(), ())
                .is_some()
        {
            continue;
        }
        let name = match kind {
            ValuesKind::Flags => generated::snake(&value.name).to_uppercase(),
            _ => generated::type_name(&value.name),
        };
        let vpath = join_key(&join_index(&join_key(path, "values"), j), "name");
        let what = format!("value `{}`", value.name);
        variants.claim(r, file, &vpath, &what, &name);
    }
}

/// The variants of an action's code enum: the global codes it lists by number and its own.
fn check_code_names(
    r: &mut Reporter<'_>,
    file: usize,
    service: Option<&ServiceSpec>,
    action: &ActionSpec,
) {
    let mut variants = Scope::new("code variant", format!("of action `{}`", action.name))
        .reserve(&["Unknown"], "the variant of codes it does not document");
    let mut stated: HashMap<&str, ()> = HashMap::new();
    // A code listed twice is E0080 (and generated once).
    let mut codes: HashMap<i64, ()> = HashMap::new();
    for (i, entry) in action.return_codes.iter().enumerate() {
        let code = match entry {
            ReturnCodeRef::Own(spec) => spec.code,
            ReturnCodeRef::Global(code) => *code,
        };
        if codes.insert(code, ()).is_some() {
            continue;
        }
        let item = join_index("return_codes", i);
        let (name, path) = match entry {
            ReturnCodeRef::Own(spec) => {
                // Own names listed twice are E0033.
                if stated.insert(&spec.name, ()).is_some() {
                    continue;
                }
                (spec.name.as_str(), join_key(&item, "name"))
            }
            ReturnCodeRef::Global(code) => {
                let Some(global) =
                    service.and_then(|s| s.return_codes.iter().find(|c| c.code == *code))
                else {
                    continue;
                };
                (global.name.as_str(), item)
            }
        };
        if !is_upper_camel(name) {
            continue;
        }
        let what = format!("return code `{name}`");
        variants.claim(r, file, &path, &what, &generated::type_name(name));
    }
}

/// `shared.rs`, `charsets.rs` and `return_codes.rs`: shared types, the enums of reusable
/// definitions, charset constants and global code variants.
fn check_service(r: &mut Reporter<'_>, file: usize, service: &ServiceSpec) {
    let mut types = Scope::new("type", "in `shared`");
    for name in service.types.keys() {
        if !is_upper_camel(name) {
            continue;
        }
        let path = join_key("types", name);
        check_reserved_type(r, file, &path, name);
        let what = format!("shared type `{name}`");
        types.claim(r, file, &path, &what, &generated::type_name(name));
    }
    for (key, def) in &service.fields {
        if def.values.is_empty() {
            continue;
        }
        let (path, name) = match &def.type_name {
            Some(name) => (
                join_key(&join_key("fields", key), "type_name"),
                name.as_str(),
            ),
            None => (join_key("fields", key), key.as_str()),
        };
        if !is_upper_camel(name) {
            continue;
        }
        check_reserved_type(r, file, &path, name);
        let what = format!("the enum of definition `{key}`");
        types.claim(r, file, &path, &what, &generated::type_name(name));
    }
    for (name, def) in &service.types {
        let base = join_key("types", name);
        explicit_types(
            r,
            file,
            Some(service),
            &join_key(&base, "fields"),
            &def.fields,
            &mut types,
        );
        value_names(
            r,
            file,
            Some(service),
            &join_key(&base, "fields"),
            &def.fields,
            0,
        );
        let mut variants = Scope::new("variant", format!("of `{name}`"))
            .reserve(&["Unknown"], "the variant of shapes it does not know");
        let mut stated: HashMap<&str, ()> = HashMap::new();
        for (i, variant) in def.variants.iter().enumerate() {
            let vpath = join_index(&join_key(&base, "variants"), i);
            let fields = join_key(&vpath, "fields");
            explicit_types(r, file, Some(service), &fields, &variant.fields, &mut types);
            value_names(r, file, Some(service), &fields, &variant.fields, 0);
            // Names given twice are E0031.
            if !is_upper_camel(&variant.name) || stated.insert(&variant.name, ()).is_some() {
                continue;
            }
            let what = format!("variant `{}`", variant.name);
            let npath = join_key(&vpath, "name");
            variants.claim(r, file, &npath, &what, &generated::type_name(&variant.name));
        }
    }
    for (key, def) in &service.fields {
        let path = join_key("fields", key);
        field_value_names(r, file, &path, def);
        value_names(
            r,
            file,
            Some(service),
            &join_key(&path, "fields"),
            &def.fields,
            0,
        );
    }

    let mut charsets = Scope::new("charset constant", "in `charsets`");
    for name in service.charsets.keys() {
        let what = format!("charset `{name}`");
        let path = join_key("charsets", name);
        charsets.claim(
            r,
            file,
            &path,
            &what,
            &generated::snake(name).to_uppercase(),
        );
    }

    let mut codes = Scope::new("code variant", "of `ReturnCode`")
        .reserve(&["Unknown"], "the variant of codes the table does not hold");
    // Names or codes given twice are E0033 and E0080.
    let mut stated: HashMap<&str, ()> = HashMap::new();
    let mut numbers: HashMap<i64, ()> = HashMap::new();
    for (i, code) in service.return_codes.iter().enumerate() {
        if !is_upper_camel(&code.name)
            || stated.insert(&code.name, ()).is_some()
            || numbers.insert(code.code, ()).is_some()
        {
            continue;
        }
        let path = join_key(&join_index("return_codes", i), "name");
        let what = format!("return code `{}`", code.name);
        codes.claim(r, file, &path, &what, &generated::type_name(&code.name));
    }
}

fn is_upper_camel(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

fn is_snake(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}
