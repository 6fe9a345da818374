//! The generator's resolved view of a spec: every field with its Rust name and Rust type,
//! every object, enum and variant type with the name it is generated under.
//!
//! Resolution is separate from emission so names are decided once (and collisions settled)
//! before any tokens are written.

use std::collections::{BTreeMap, BTreeSet};

use crate::spec::{
    Field, PossibleValue, Scalar, ServiceSpec, TypeDef, TypeExpr, ValuesKind, VariantEncoding,
};

use super::GenerateError;
use super::names::{self, NameSet};

/// A wire scalar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prim {
    String,
    Bool,
    I32,
    I64,
    U32,
    U64,
}

/// Where a generated type lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Home {
    /// In the module being generated.
    Local,
    /// In `shared.rs`.
    Shared,
}

/// What a named type is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NamedKind {
    Object,
    /// An enum of possible values (closed or open) over a wire scalar.
    Enum(Prim, ValuesKind),
    Variant,
}

/// The Rust type of a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    Prim(Prim),
    Vec(Box<Ty>),
    Map(Box<Ty>),
    /// A string holding JSON text of the inner type.
    Json(Box<Ty>),
    /// Text, or an object of the inner type (`string | T`).
    TextOr(Box<Ty>),
    Named {
        name: String,
        home: Home,
        kind: NamedKind,
    },
}

impl Ty {
    /// How many `Vec`, `BTreeMap` and JSON-text layers wrap the innermost type.
    pub fn layers(&self) -> usize {
        match self {
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Json(inner) => 1 + inner.layers(),
            _ => 0,
        }
    }
}

impl ModuleDefs {
    /// Whether a field of these definitions (or of `extra`) nests so many layers that clippy's
    /// `type_complexity` would call its type too complex; the checker allows up to 8.
    pub fn has_deep_types<'a>(&'a self, extra: impl IntoIterator<Item = &'a FieldIr>) -> bool {
        const CLIPPY_COMPLEX_LAYERS: usize = 4;
        self.objects
            .iter()
            .flat_map(|o| &o.fields)
            .chain(extra)
            .any(|f| f.ty.layers() >= CLIPPY_COMPLEX_LAYERS)
    }
}

/// Which direction a type travels, deciding its derives and how optional fields look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Usage {
    pub request: bool,
    pub response: bool,
}

impl Usage {
    pub const REQUEST: Usage = Usage {
        request: true,
        response: false,
    };
    pub const RESPONSE: Usage = Usage {
        request: false,
        response: true,
    };
    pub fn union(self, other: Usage) -> Usage {
        Usage {
            request: self.request || other.request,
            response: self.response || other.response,
        }
    }
}

/// One resolved field.
#[derive(Debug, Clone)]
pub struct FieldIr {
    pub wire: String,
    pub ident: proc_macro2::Ident,
    pub ty: Ty,
    /// Request side: set by the constructor, never `Option`.
    pub required: bool,
    pub spec: Field,
    /// A field typed by a shared enum (`use:` of a definition with values) that lists fewer
    /// values of its own: the only values it allows, checked by its validator.
    pub narrowed: Option<Vec<Scalar>>,
}

/// A generated object type.
#[derive(Debug, Clone)]
pub struct ObjectDef {
    pub name: String,
    pub docs: String,
    pub fields: Vec<FieldIr>,
    pub usage: Usage,
    /// Rules across the fields (`rules:` of an action, for its request).
    pub rules: Vec<crate::spec::CrossFieldRule>,
}

/// A generated enum (closed or open) or flag set.
#[derive(Debug, Clone)]
pub struct EnumDef {
    pub name: String,
    pub docs: String,
    pub prim: Prim,
    pub kind: ValuesKind,
    pub usage: Usage,
    /// Value, variant or const name, docs.
    pub values: Vec<(Scalar, String, String)>,
}

/// One shape of a variant type.
#[derive(Debug, Clone)]
pub struct ShapeIr {
    pub variant: String,
    pub when: Vec<Scalar>,
    pub encoding: VariantEncoding,
    pub docs: String,
    /// The payload struct; `None` for `text` shapes (a plain string).
    pub payload: Option<String>,
}

/// A generated variant type.
#[derive(Debug, Clone)]
pub struct VariantTypeDef {
    pub name: String,
    pub docs: String,
    pub selector: Prim,
    pub shapes: Vec<ShapeIr>,
    pub usage: Usage,
}

/// Everything one module defines, in the order first met.
#[derive(Debug, Clone, Default)]
pub struct ModuleDefs {
    pub objects: Vec<ObjectDef>,
    pub enums: Vec<EnumDef>,
    pub variants: Vec<VariantTypeDef>,
}

/// The names of the shared module, decided before any action is resolved.
#[derive(Debug, Clone, Default)]
pub struct SharedNames {
    /// Service type key -> (Rust name, kind).
    pub types: BTreeMap<String, (String, NamedKind)>,
    /// Reusable field key -> Rust name of its enum (fields with possible values only).
    pub field_enums: BTreeMap<String, String>,
    /// Reusable field key -> the possible values of its definition.
    pub field_enum_values: BTreeMap<String, Vec<Scalar>>,
}

fn prim_of(expr: &TypeExpr) -> Option<Prim> {
    Some(match expr {
        TypeExpr::String => Prim::String,
        TypeExpr::Bool => Prim::Bool,
        TypeExpr::Int32 => Prim::I32,
        TypeExpr::Int64 => Prim::I64,
        TypeExpr::Uint32 => Prim::U32,
        TypeExpr::Uint64 => Prim::U64,
        _ => return None,
    })
}

/// The kind of values a field has, defaulting to closed.
pub fn values_kind(field: &Field) -> ValuesKind {
    field.values_kind.unwrap_or(ValuesKind::Closed)
}

impl SharedNames {
    pub fn new(service: &ServiceSpec) -> SharedNames {
        let mut taken = NameSet::default();
        let mut shared = SharedNames::default();
        for (key, def) in &service.types {
            let name = taken.claim(&names::type_name(key));
            let kind = if def.variants.is_empty() {
                NamedKind::Object
            } else {
                NamedKind::Variant
            };
            shared.types.insert(key.clone(), (name, kind));
        }
        for (key, field) in &service.fields {
            if field.values.is_empty() {
                continue;
            }
            let base = field.type_name.clone().unwrap_or_else(|| key.clone());
            let name = taken.claim(&names::type_name(&base));
            shared.field_enums.insert(key.clone(), name);
            let values = field.values.iter().map(|v| v.value.clone()).collect();
            shared.field_enum_values.insert(key.clone(), values);
        }
        shared
    }
}

/// Resolves fields into one module's definitions.
pub struct Resolver<'a> {
    pub shared: &'a SharedNames,
    /// Where new nested types go.
    pub home: Home,
    pub names: NameSet,
    pub defs: ModuleDefs,
    /// Shared types and field enums this module refers to.
    pub uses_shared: BTreeSet<String>,
    pub context: String,
    /// Names the spec gives types of this module (`type_name`): kept free for them, so a
    /// derived name met first cannot take one (the checker makes sure they differ).
    stated: BTreeSet<String>,
}

impl<'a> Resolver<'a> {
    pub fn new(
        service: &'a ServiceSpec,
        shared: &'a SharedNames,
        home: Home,
        names: NameSet,
        context: String,
    ) -> Self {
        let _ = service;
        Resolver {
            shared,
            home,
            names,
            defs: ModuleDefs::default(),
            uses_shared: BTreeSet::new(),
            context,
            stated: BTreeSet::new(),
        }
    }

    /// Keeps the names the spec gives types among `fields` free for them (see `stated`).
    pub fn reserve_stated(&mut self, service: &ServiceSpec, fields: &[Field]) {
        let mut stated = Vec::new();
        stated_type_names(Some(service), "", fields, 0, &mut stated);
        self.stated
            .extend(stated.into_iter().map(|name| name.rust_name));
    }

    fn err(&self, message: String) -> GenerateError {
        GenerateError::Spec {
            context: self.context.clone(),
            message,
        }
    }

    /// Resolves the fields of one struct (request, response or object).
    pub fn fields(
        &mut self,
        parent: &str,
        fields: &[Field],
        usage: Usage,
    ) -> Result<Vec<FieldIr>, GenerateError> {
        let mut idents = NameSet::with(&["new"]);
        let mut out = Vec::with_capacity(fields.len());
        for field in fields {
            let base = field
                .rust_name
                .clone()
                .unwrap_or_else(|| field.name.clone());
            let ident_text = idents.claim(&names::plain(&names::field_ident(&base)));
            let ident = names::field_ident(&ident_text);
            let ty = self.field_type(parent, field, usage)?;
            let narrowed = field
                .use_def
                .as_ref()
                .and_then(|key| self.shared.field_enum_values.get(key))
                .and_then(|all| {
                    let own: Vec<Scalar> = field.values.iter().map(|v| v.value.clone()).collect();
                    let narrower = own.iter().all(|v| all.contains(v)) && own.len() < all.len();
                    narrower.then_some(own)
                });
            out.push(FieldIr {
                wire: field.name.clone(),
                ident,
                ty,
                required: field.required.unwrap_or(false),
                spec: field.clone(),
                narrowed,
            });
        }
        Ok(out)
    }

    fn field_type(
        &mut self,
        parent: &str,
        field: &Field,
        usage: Usage,
    ) -> Result<Ty, GenerateError> {
        let text = field
            .ty
            .as_deref()
            .ok_or_else(|| self.err(format!("field `{}` has no type", field.name)))?;
        let expr = TypeExpr::parse(text)
            .map_err(|e| self.err(format!("field `{}`: {}", field.name, e.message)))?;
        self.expr_type(parent, field, &expr, usage, 0)
    }

    fn expr_type(
        &mut self,
        parent: &str,
        field: &Field,
        expr: &TypeExpr,
        usage: Usage,
        depth: usize,
    ) -> Result<Ty, GenerateError> {
        Ok(match expr {
            TypeExpr::Array(inner) => Ty::Vec(Box::new(self.expr_type(
                parent,
                field,
                inner,
                usage,
                depth + 1,
            )?)),
            TypeExpr::Map(inner) => Ty::Map(Box::new(self.expr_type(
                parent,
                field,
                inner,
                usage,
                depth + 1,
            )?)),
            TypeExpr::Json(inner) => Ty::Json(Box::new(self.expr_type(
                parent,
                field,
                inner,
                usage,
                depth + 1,
            )?)),
            // The object keeps the name it would have alone: the field's `type_name`, or
            // one derived from the field's name.
            TypeExpr::TextOr(inner) => Ty::TextOr(Box::new(
                self.expr_type(parent, field, inner, usage, depth)?,
            )),
            TypeExpr::Named(key) => {
                let (name, kind) = self.shared.types.get(key).cloned().ok_or_else(|| {
                    self.err(format!("field `{}`: unknown type `{key}`", field.name))
                })?;
                self.uses_shared.insert(key.clone());
                if self.home == Home::Shared {
                    Ty::Named {
                        name,
                        home: Home::Local,
                        kind,
                    }
                } else {
                    Ty::Named {
                        name,
                        home: Home::Shared,
                        kind,
                    }
                }
            }
            TypeExpr::Object => {
                let name = match (field.type_name.as_deref(), depth) {
                    (Some(name), _) => self.claim_stated(parent, &names::type_name(name)),
                    (None, 0) => self.claim_type(parent, &names::type_name(&field.name)),
                    (None, _) => self.claim_type(
                        parent,
                        &names::type_name(&names::item_type_name(&field.name)),
                    ),
                };
                let mut fields = self.fields(&name, &field.fields, usage)?;
                super::rules::annotate(&mut fields, &field.rules);
                self.defs.objects.push(ObjectDef {
                    name: name.clone(),
                    docs: field.docs.clone().unwrap_or_default(),
                    fields,
                    usage,
                    rules: field.rules.clone(),
                });
                Ty::Named {
                    name,
                    home: Home::Local,
                    kind: NamedKind::Object,
                }
            }
            scalar => {
                let prim = prim_of(scalar)
                    .ok_or_else(|| self.err(format!("field `{}`: unsupported type", field.name)))?;
                if field.values.is_empty() {
                    return Ok(Ty::Prim(prim));
                }
                let kind = values_kind(field);
                // A reusable field with values has one shared enum, unless the field adds
                // values of its own (`values_add`): those need an enum of their own.
                let adds_values = field.use_def.as_ref().is_some_and(|key| {
                    self.shared
                        .field_enum_values
                        .get(key)
                        .is_some_and(|all| field.values.iter().any(|v| !all.contains(&v.value)))
                });
                if let Some(shared_name) = field
                    .use_def
                    .as_ref()
                    .filter(|_| !adds_values)
                    .and_then(|key| self.shared.field_enums.get(key).map(|n| (key, n)))
                {
                    let (key, name) = (shared_name.0.clone(), shared_name.1.clone());
                    self.uses_shared.insert(format!("field:{key}"));
                    let home = if self.home == Home::Shared {
                        Home::Local
                    } else {
                        Home::Shared
                    };
                    return Ok(Ty::Named {
                        name,
                        home,
                        kind: NamedKind::Enum(prim, kind),
                    });
                }
                let name = match field.type_name.as_deref() {
                    Some(stated) => self.claim_stated(parent, &names::type_name(stated)),
                    None => self.claim_type(parent, &names::type_name(&field.name)),
                };
                self.defs.enums.push(enum_def(&name, field, prim, usage));
                Ty::Named {
                    name,
                    home: Home::Local,
                    kind: NamedKind::Enum(prim, kind),
                }
            }
        })
    }

    /// A free type name that no stated name wants: `base`, else `<Parent><base>`, else
    /// numbered.
    fn claim_type(&mut self, parent: &str, base: &str) -> String {
        let free =
            |names: &NameSet, name: &str| !names.contains(name) && !self.stated.contains(name);
        if free(&self.names, base) {
            return self.names.claim(base);
        }
        let prefixed = format!("{parent}{base}");
        let mut candidate = prefixed.clone();
        let mut n = 2;
        while !free(&self.names, &candidate) {
            candidate = format!("{prefixed}{n}");
            n += 1;
        }
        self.names.claim(&candidate)
    }

    /// The name the spec gives a type; should it be taken after all (the checker refuses
    /// that), a free one as [`Self::claim_type`] finds.
    fn claim_stated(&mut self, parent: &str, name: &str) -> String {
        if self.names.contains(name) {
            self.claim_type(parent, name)
        } else {
            self.names.claim(name)
        }
    }

    /// Resolves a shared type definition (called for `shared.rs`).
    pub fn shared_type(
        &mut self,
        key: &str,
        def: &TypeDef,
        usage: Usage,
    ) -> Result<(), GenerateError> {
        let Some((name, kind)) = self.shared.types.get(key).cloned() else {
            return Err(self.err(format!("unknown shared type `{key}`")));
        };
        match kind {
            NamedKind::Variant => {
                let selector = match def.selector_type.as_deref() {
                    Some("string") => Prim::String,
                    Some("int64") => Prim::I64,
                    _ => Prim::I32,
                };
                let mut shapes = Vec::new();
                let mut variant_names = NameSet::with(&["Unknown"]);
                for shape in &def.variants {
                    let variant = variant_names.claim(&names::type_name(&shape.name));
                    let payload = if shape.encoding == VariantEncoding::Text {
                        None
                    } else {
                        let payload_name = self.claim_type(&name, &format!("{name}{variant}"));
                        let fields = self.fields(&payload_name, &shape.fields, usage)?;
                        self.defs.objects.push(ObjectDef {
                            name: payload_name.clone(),
                            docs: shape.docs.clone(),
                            fields,
                            usage,
                            rules: Vec::new(),
                        });
                        Some(payload_name)
                    };
                    shapes.push(ShapeIr {
                        variant,
                        when: shape.when.clone(),
                        encoding: shape.encoding,
                        docs: shape.docs.clone(),
                        payload,
                    });
                }
                self.defs.variants.push(VariantTypeDef {
                    name,
                    docs: def.docs.clone(),
                    selector,
                    shapes,
                    usage,
                });
            }
            _ => {
                let fields = self.fields(&name, &def.fields, usage)?;
                self.defs.objects.push(ObjectDef {
                    name,
                    docs: def.docs.clone(),
                    fields,
                    usage,
                    rules: Vec::new(),
                });
            }
        }
        Ok(())
    }

    /// Resolves the enum of a reusable field (called for `shared.rs`).
    pub fn shared_field_enum(
        &mut self,
        key: &str,
        field: &Field,
        usage: Usage,
    ) -> Result<(), GenerateError> {
        let Some(name) = self.shared.field_enums.get(key).cloned() else {
            return Err(self.err(format!("unknown reusable field `{key}`")));
        };
        let expr = field
            .ty
            .as_deref()
            .map(TypeExpr::parse)
            .transpose()
            .map_err(|e| self.err(format!("reusable field `{key}`: {}", e.message)))?
            .unwrap_or(TypeExpr::Int32);
        let prim = prim_of(expr.leaf()).unwrap_or(Prim::I32);
        self.defs.enums.push(enum_def(&name, field, prim, usage));
        Ok(())
    }
}

fn enum_def(name: &str, field: &Field, prim: Prim, usage: Usage) -> EnumDef {
    let kind = values_kind(field);
    let catch_all = match kind {
        ValuesKind::Closed => "Unknown",
        ValuesKind::Open => "Other",
        ValuesKind::Flags => "",
    };
    let mut variants = NameSet::with(&[catch_all, "ALL", "EMPTY"]);
    let values = field
        .values
        .iter()
        .map(|PossibleValue { value, name, docs }| {
            let variant = if kind == ValuesKind::Flags {
                variants.claim(&names::snake(name).to_uppercase())
            } else {
                variants.claim(&names::type_name(name))
            };
            (value.clone(), variant, docs.clone())
        })
        .collect();
    EnumDef {
        name: name.to_owned(),
        docs: field.docs.clone().unwrap_or_default(),
        prim,
        kind,
        usage,
        values,
    }
}

/// A type name the spec gives (`type_name`) to an object or enum of the module it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedName {
    /// YAML path of the `type_name`, under the path given to [`stated_type_names`].
    pub path: String,
    /// Wire name of the field that defines the type.
    pub field: String,
    /// The name as given.
    pub given: String,
    /// The type's Rust name.
    pub rust_name: String,
}

/// Every object or enum `fields` (and their fields) define in the module being generated under
/// a name the spec gives. Enums of a reusable definition live in `shared.rs` and are left out.
pub fn stated_type_names(
    service: Option<&ServiceSpec>,
    path: &str,
    fields: &[Field],
    depth: usize,
    out: &mut Vec<StatedName>,
) {
    // Far deeper than the checker's YAML depth limit lets fields nest.
    if depth > 64 {
        return;
    }
    for (i, field) in fields.iter().enumerate() {
        let fpath = format!("{path}[{i}]");
        if let (Some(name), Some(Ok(expr))) =
            (&field.type_name, field.ty.as_deref().map(TypeExpr::parse))
        {
            let shared_enum = field
                .use_def
                .as_ref()
                .and_then(|key| service?.fields.get(key))
                .is_some_and(|def| !def.values.is_empty());
            let local_enum =
                !field.values.is_empty() && !shared_enum && prim_of(expr.leaf()).is_some();
            if *expr.leaf() == TypeExpr::Object || local_enum {
                out.push(StatedName {
                    path: format!("{fpath}.type_name"),
                    field: field.name.clone(),
                    given: name.clone(),
                    rust_name: names::type_name(name),
                });
            }
        }
        stated_type_names(
            service,
            &format!("{fpath}.fields"),
            &field.fields,
            depth + 1,
            out,
        );
    }
}

/// Shared type keys and reusable field keys (`field:<key>`) reachable from `roots`, with the
/// directions they travel.
pub fn shared_closure(
    service: &ServiceSpec,
    roots: &BTreeMap<String, Usage>,
) -> BTreeMap<String, Usage> {
    let mut out = roots.clone();
    let mut changed = true;
    while changed {
        changed = false;
        let snapshot = out.clone();
        for (key, usage) in &snapshot {
            let Some(def) = service.types.get(key) else {
                continue;
            };
            let mut found = BTreeSet::new();
            for field in def
                .fields
                .iter()
                .chain(def.variants.iter().flat_map(|v| &v.fields))
            {
                collect_refs(service, field, &mut found);
            }
            let usage = *usage;
            for name in found {
                let entry = out.entry(name).or_insert(Usage {
                    request: false,
                    response: false,
                });
                let merged = entry.union(usage);
                if merged != *entry {
                    *entry = merged;
                    changed = true;
                }
            }
        }
    }
    out
}

/// Shared names a field refers to, nested objects included.
pub fn collect_refs(service: &ServiceSpec, field: &Field, out: &mut BTreeSet<String>) {
    if let Some(Ok(expr)) = field.ty.as_deref().map(TypeExpr::parse)
        && let TypeExpr::Named(name) = expr.leaf()
    {
        out.insert(name.clone());
    }
    if let Some(key) = &field.use_def
        && service
            .fields
            .get(key)
            .is_some_and(|f| !f.values.is_empty())
        && !field.values.is_empty()
    {
        out.insert(format!("field:{key}"));
    }
    for nested in &field.fields {
        collect_refs(service, nested, out);
    }
}
