//! One resolved OpenAPI operation to the actions of our spec model.
//!
//! Facts carry over (names, method, host, types, requiredness, limits, possible values'
//! numbers, return codes, QPS); wording does not: `purpose` is a marked placeholder, fields
//! get no docs, values get `Value<N>` names, and own return codes get placeholder names.
//! What a person has to decide is returned as warnings.

use std::collections::BTreeSet;
use std::path::Path;

use serde_yaml::{Mapping, Value};

use super::prose::{self, QpsScopeHint};
use super::{ImportError, ImportErrorKind, Imported};
use crate::spec::{
    ActionSpec, Field, Method, PartialFailureSpec, PossibleValue, QpsScope, QpsSpec, ReturnCodeRef,
    ReturnCodeSpec, Scalar, ServiceSpec, ValuesKind,
};

/// The text an importer writes where our own words are needed; `check` accepts it.
pub const PLACEHOLDER: &str = "TODO: describe in our own words";

/// QPS assumed when the page states none (the usual app-wide limit of the API).
pub const ASSUMED_QPS: u32 = 20;

/// ZEGO's category folders and our categories.
pub const CATEGORY_FOLDERS: &[(&str, &str)] = &[
    ("User", "user"),
    ("Messaging", "message"),
    ("Group", "group"),
    ("Conversation", "conversation"),
    ("Room", "room"),
    ("Call invitation", "call_invitation"),
    ("Bot", "bot"),
    ("ZIM Audio", "zim_audio"),
    ("community", "community"),
];

/// Our category of a ZEGO folder; unknown folders become snake_case.
pub fn category_of_folder(folder: &str) -> String {
    CATEGORY_FOLDERS
        .iter()
        .find(|(zego, _)| *zego == folder)
        .map(|(_, ours)| (*ours).to_owned())
        .unwrap_or_else(|| heck::ToSnakeCase::to_snake_case(folder))
}

/// Builds the actions of one resolved file (`root`, read from `file`).
pub fn actions_of_file(
    root: &Value,
    file: &Path,
    service: &ServiceSpec,
) -> Result<Vec<Imported>, ImportError> {
    let err = |place: &str, kind| ImportError::new(file, place, kind);
    let paths = root
        .get("paths")
        .and_then(|p| p.get("/"))
        .ok_or_else(|| err("/paths", ImportErrorKind::Missing("the path `/`".into())))?;
    let (method, operation) = match (paths.get("get"), paths.get("post")) {
        (Some(op), None) => (Method::Get, op),
        (None, Some(op)) => (Method::Post, op),
        _ => {
            return Err(err(
                "/paths/~1",
                ImportErrorKind::Missing("exactly one of `get` and `post`".into()),
            ));
        }
    };
    let method_key = if method == Method::Get { "get" } else { "post" };
    let place = format!("/paths/~1/{method_key}");
    let names = action_names(operation);
    if names.is_empty() {
        return Err(err(&place, ImportErrorKind::MissingAction));
    }

    let mut shared = Builder {
        warnings: Vec::new(),
        unsized_ints: BTreeSet::new(),
    };
    let description = text(operation.get("description"));
    let public: BTreeSet<&str> = service
        .public_params
        .iter()
        .map(|p| p.name.as_str())
        .collect();

    // Request fields: query parameters, then a body (a GET may carry one, and it is sent as
    // query parameters by our client too).
    let mut request = Vec::new();
    if let Some(Value::Sequence(params)) = operation.get("parameters") {
        for param in params {
            let Some(name) = param.get("name").and_then(Value::as_str) else {
                continue;
            };
            if public.contains(name) || name == "Action" {
                continue;
            }
            let schema = param.get("schema").cloned().unwrap_or(Value::Null);
            let mut field = shared.field(name, &schema, &format!("request.{name}"));
            field.required = Some(param.get("required").and_then(Value::as_bool) == Some(true));
            let field_path = format!("request.{name}");
            shared.prose_of(&mut field, &text(param.get("description")), &field_path);
            shared.drop_default_of_required(&mut field, &field_path);
            request.push(field);
        }
    }
    if let Some(body) = operation
        .get("requestBody")
        .and_then(|b| b.get("content"))
        .and_then(|c| c.get("application/json"))
        .and_then(|c| c.get("schema"))
    {
        request.extend(shared.object_fields(body, "request"));
    }

    // Response fields next to the envelope, or inside a `Data` wrapper.
    let envelope = [
        service.envelope.code.as_str(),
        service.envelope.message.as_str(),
        service.envelope.request_id.as_str(),
    ];
    let response_schema = operation
        .get("responses")
        .and_then(|r| r.get("200"))
        .and_then(|r| r.get("content"))
        .and_then(|c| c.get("application/json"))
        .and_then(|c| c.get("schema"))
        .cloned()
        .unwrap_or(Value::Null);
    let props = properties(&response_schema);
    let code_description = props
        .as_ref()
        .and_then(|p| p.get(service.envelope.code.as_str()))
        .map(|code| text(code.get("description")))
        .unwrap_or_default();
    let mut response_wrapper = None;
    let mut response: Vec<Field> = shared
        .object_fields(&response_schema, "response")
        .into_iter()
        .filter(|f| !envelope.contains(&f.name.as_str()))
        .collect();
    if let [only] = response.as_slice()
        && only.name == "Data"
        && only.ty.as_deref() == Some("object")
    {
        response_wrapper = Some(only.name.clone());
        response = only.fields.clone();
    }
    for field in &mut response {
        // Responses state no requiredness; absent means "may be missing".
        clear_required(field);
    }

    // Return codes from the table in `Code`'s description.
    let mut return_codes = Vec::new();
    for code in prose::parse_code_table(&code_description) {
        if code == 0 {
            continue;
        }
        if service.return_codes.iter().any(|c| c.code == code) {
            return_codes.push(ReturnCodeRef::Global(code));
        } else {
            return_codes.push(ReturnCodeRef::Own(ReturnCodeSpec {
                code,
                name: format!("Code{code}"),
                meaning: PLACEHOLDER.into(),
                fix: String::new(),
                retry: false,
            }));
        }
    }
    if return_codes.is_empty() {
        shared
            .warnings
            .push("no return-code table; list the codes by hand".into());
    }

    let qps = shared.qps(&description, &request);
    let partial_failure = shared.partial_failure(&response);
    shared.pagination_hint(&request, &response);
    let host = host_of(root, service);
    let folder = file
        .parent()
        .and_then(Path::file_name)
        .and_then(|f| f.to_str())
        .unwrap_or("");
    let category = category_of_folder(folder);

    if names.len() > 1 {
        shared.warnings.push(format!(
            "one page documents {}: each got the same fields; check which apply to which",
            names.join(" and ")
        ));
    }
    Ok(names
        .into_iter()
        .map(|name| {
            let mut warnings = vec![format!(
                "`purpose` is a placeholder: describe {name} in our own words"
            )];
            warnings.push(format!(
                "`retry_safe: {}` guessed from the method",
                method == Method::Get
            ));
            warnings.extend(shared.warnings.iter().cloned());
            Imported {
                spec: ActionSpec {
                    name,
                    rust_name: None,
                    category: category.clone(),
                    method,
                    host: host.clone(),
                    purpose: PLACEHOLDER.into(),
                    docs: None,
                    qps: qps.clone(),
                    retry_safe: method == Method::Get,
                    request: request.clone(),
                    response: response.clone(),
                    response_wrapper: response_wrapper.clone(),
                    pagination: None,
                    partial_failure: partial_failure.clone(),
                    return_codes: return_codes.clone(),
                    upstream: Vec::new(),
                    rules: Vec::new(),
                },
                source: file.to_path_buf(),
                warnings,
                unsized_ints: shared.unsized_ints.clone(),
            }
        })
        .collect())
}

/// The `Action` parameter's enum, else the summary.
fn action_names(operation: &Value) -> Vec<String> {
    if let Some(Value::Sequence(params)) = operation.get("parameters") {
        for param in params {
            if param.get("name").and_then(Value::as_str) == Some("Action")
                && let Some(Value::Sequence(names)) =
                    param.get("schema").and_then(|s| s.get("enum"))
            {
                let names: Vec<String> = names
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect();
                if !names.is_empty() {
                    return names;
                }
            }
        }
    }
    operation
        .get("summary")
        .and_then(Value::as_str)
        .map(|s| vec![s.trim().to_owned()])
        .unwrap_or_default()
}

/// The service host id when every server is a host of `hosts.services`; `None` for the
/// regional hosts.
fn host_of(root: &Value, service: &ServiceSpec) -> Option<String> {
    let servers: Vec<&Value> = match root.get("servers") {
        Some(Value::Sequence(list)) => list.iter().collect(),
        Some(Value::Mapping(map)) => map.values().collect(),
        _ => Vec::new(),
    };
    let hosts: Vec<&str> = servers
        .iter()
        .filter_map(|s| s.get("url").and_then(Value::as_str))
        .map(|url| {
            let rest = url.split_once("://").map_or(url, |(_, r)| r);
            rest.split('/').next().unwrap_or(rest)
        })
        .collect();
    let first = hosts.first()?;
    let service_host = service.hosts.services.iter().find(|h| h.host == *first)?;
    hosts
        .iter()
        .all(|h| *h == service_host.host)
        .then(|| service_host.id.clone())
}

fn text(value: Option<&Value>) -> String {
    value.and_then(Value::as_str).unwrap_or("").to_owned()
}

fn properties(schema: &Value) -> Option<&Mapping> {
    match schema.get("properties") {
        Some(Value::Mapping(map)) => Some(map),
        _ => None,
    }
}

fn clear_required(field: &mut Field) {
    field.required = None;
    for inner in &mut field.fields {
        clear_required(inner);
    }
}

/// State gathered while building one file's fields.
struct Builder {
    warnings: Vec<String>,
    unsized_ints: BTreeSet<String>,
}

impl Builder {
    /// The fields of an object schema (properties, with `required`).
    fn object_fields(&mut self, schema: &Value, path: &str) -> Vec<Field> {
        let schema = merged_composition(schema);
        let Some(props) = properties(&schema) else {
            return Vec::new();
        };
        let required: BTreeSet<&str> = match schema.get("required") {
            Some(Value::Sequence(list)) => list.iter().filter_map(Value::as_str).collect(),
            _ => BTreeSet::new(),
        };
        let mut out = Vec::new();
        for (key, prop) in props {
            let Some(name) = key.as_str() else { continue };
            let field_path = format!("{path}.{name}");
            let mut field = self.field(name, prop, &field_path);
            field.required = Some(required.contains(name));
            self.prose_of(&mut field, &text(prop.get("description")), &field_path);
            self.drop_default_of_required(&mut field, &field_path);
            out.push(field);
        }
        out
    }

    /// One field from its schema: type, limits, schema-declared values.
    fn field(&mut self, name: &str, schema: &Value, path: &str) -> Field {
        let schema = merged_composition(schema);
        let mut field = Field {
            name: name.to_owned(),
            ..Field::default()
        };
        let ty = schema.get("type").and_then(Value::as_str).unwrap_or("");
        let expr = match ty {
            "array" => {
                let items = schema.get("items").cloned().unwrap_or(Value::Null);
                let items = merged_composition(&items);
                let inner = self.leaf_type(&items, path);
                if inner == "object" {
                    field.fields = self.object_fields(&items, path);
                    if field.fields.is_empty() {
                        self.warnings.push(format!(
                            "`{path}`: array of free-form objects; typed as map<string>"
                        ));
                        "array<map<string>>".to_owned()
                    } else {
                        "array<object>".to_owned()
                    }
                } else {
                    field.item_max_bytes = uint(items.get("maxLength"));
                    field.values = self.schema_values(&items, path);
                    format!("array<{inner}>")
                }
            }
            _ => {
                let leaf = self.leaf_type(&schema, path);
                if leaf == "object" {
                    field.fields = self.object_fields(&schema, path);
                    if !field.fields.is_empty() {
                        "object".to_owned()
                    } else if let Some(values) = schema
                        .get("additionalProperties")
                        .filter(|a| a.is_mapping())
                    {
                        // An id-keyed map: its values are described like a field.
                        let inner = self.field(name, values, path);
                        field.fields = inner.fields;
                        format!("map<{}>", inner.ty.unwrap_or_else(|| "string".into()))
                    } else {
                        self.warnings.push(format!(
                            "`{path}`: free-form object; typed as map<string>, give it a shared type if it has a shape"
                        ));
                        "map<string>".to_owned()
                    }
                } else {
                    field.max_bytes = uint(schema.get("maxLength"));
                    field.values = self.schema_values(&schema, path);
                    leaf
                }
            }
        };
        field.max_items = uint(schema.get("maxItems"));
        field.min_items = uint(schema.get("minItems"));
        if is_integer_type(&expr) {
            field.min = int(schema.get("minimum"));
            field.max = int(schema.get("maximum"));
        }
        field.default = schema.get("default").and_then(|d| scalar_of(d, &expr));
        if !field.values.is_empty() {
            field.values_kind = Some(ValuesKind::Closed);
        }
        if !field.fields.is_empty() {
            field.type_name = None;
        }
        field.ty = Some(expr);
        field
    }

    /// A scalar type name from a schema; integers without a stated width become `int64`
    /// and are noted, so an update can keep the width our spec chose.
    fn leaf_type(&mut self, schema: &Value, path: &str) -> String {
        let ty = schema.get("type").and_then(Value::as_str).unwrap_or("");
        let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
        match ty {
            "string" => "string".into(),
            "boolean" => "bool".into(),
            "object" => "object".into(),
            "integer" | "number" | "int32" | "int64" => {
                if let Some(example) = schema.get("example")
                    && example.is_f64()
                {
                    self.warnings.push(format!(
                        "`{path}`: a number whose example is not whole; typed as an integer"
                    ));
                }
                match (ty, format) {
                    (_, "int32") | ("int32", _) => "int32".into(),
                    (_, "uint32") => "uint32".into(),
                    (_, "uint64") => "uint64".into(),
                    (_, "int64") | ("int64", _) => "int64".into(),
                    _ => {
                        self.unsized_ints.insert(path.to_owned());
                        "int64".into()
                    }
                }
            }
            "" if schema.get("properties").is_some() => "object".into(),
            other => {
                self.warnings.push(format!(
                    "`{path}`: type `{other}` is not known; typed as string"
                ));
                "string".into()
            }
        }
    }

    /// Values of a schema `enum`.
    fn schema_values(&mut self, schema: &Value, path: &str) -> Vec<PossibleValue> {
        let Some(Value::Sequence(list)) = schema.get("enum") else {
            return Vec::new();
        };
        let mut out: Vec<PossibleValue> = Vec::new();
        for item in list {
            let value = match item {
                Value::Number(n) => match n.as_i64() {
                    Some(i) => Scalar::Int(i),
                    None => continue,
                },
                Value::String(s) => Scalar::Str(s.clone()),
                Value::Bool(b) => Scalar::Bool(*b),
                _ => continue,
            };
            if out.iter().any(|v| v.value == value) {
                continue;
            }
            out.push(PossibleValue {
                name: value_name(&value, out.len()),
                value,
                docs: String::new(),
            });
        }
        if !out.is_empty() {
            self.warnings.push(format!(
                "`{path}`: possible values got placeholder names; name them"
            ));
        }
        out
    }

    /// A default only matters for a field that may be left out.
    fn drop_default_of_required(&mut self, field: &mut Field, path: &str) {
        if field.required == Some(true) && field.default.take().is_some() {
            self.warnings.push(format!(
                "`{path}`: required and with a default; the default was dropped"
            ));
        }
    }

    /// Facts from a field's description: listed values, a default, prose limits, and
    /// conflicts with the keywords.
    fn prose_of(&mut self, field: &mut Field, description: &str, path: &str) {
        let ty = field.ty.clone().unwrap_or_default();
        let integer = is_integer_type(&ty);
        let listed = prose::parse_listed_values(description);
        if integer && !listed.is_empty() {
            let schema_values: BTreeSet<i64> = field
                .values
                .iter()
                .filter_map(|v| match v.value {
                    Scalar::Int(i) => Some(i),
                    _ => None,
                })
                .collect();
            if field.values.is_empty() {
                field.values = listed
                    .iter()
                    .enumerate()
                    .map(|(i, v)| PossibleValue {
                        value: Scalar::Int(v.value),
                        name: value_name(&Scalar::Int(v.value), i),
                        docs: String::new(),
                    })
                    .collect();
                // Prose lists do not say whether other values are refused.
                field.values_kind = Some(ValuesKind::Open);
                self.warnings.push(format!(
                    "`{path}`: possible values read from prose (open, placeholder names); check and name them"
                ));
            } else if listed.iter().any(|v| !schema_values.contains(&v.value)) {
                self.warnings.push(format!(
                    "`{path}`: the description lists values the schema's enum lacks"
                ));
            }
            if field.default.is_none()
                && let Some(default) = listed.iter().find(|v| v.is_default)
            {
                field.default = Some(Scalar::Int(default.value));
            }
        }
        let limits = prose::parse_limits(description);
        // ZEGO's maxLength counts bytes unless the description says characters.
        if let Some(chars) = limits.chars
            && (ty == "string" || ty == "array<string>")
        {
            let (bytes_slot, chars_slot) = if ty == "string" {
                (&mut field.max_bytes, &mut field.max_chars)
            } else {
                (&mut field.item_max_bytes, &mut field.item_max_chars)
            };
            match *bytes_slot {
                Some(keyword) if keyword == chars => {
                    *bytes_slot = None;
                    *chars_slot = Some(chars);
                }
                None if limits.bytes.is_none() => {
                    *chars_slot = Some(chars);
                    self.warnings.push(format!(
                        "`{path}`: {chars} characters read from prose only; check it"
                    ));
                }
                _ => self.warnings.push(format!(
                    "`{path}`: the description speaks of {chars} characters; check the length limits"
                )),
            }
        }
        if let Some(bytes) = limits.bytes {
            let (slot, what) = if ty.starts_with("array<") {
                (&mut field.item_max_bytes, "item_max_bytes")
            } else {
                (&mut field.max_bytes, "max_bytes")
            };
            if ty == "string" || ty == "array<string>" {
                match *slot {
                    None => {
                        *slot = Some(bytes);
                        self.warnings.push(format!(
                            "`{path}`: {what} {bytes} read from prose only; check it"
                        ));
                    }
                    Some(keyword) if keyword != bytes => self.warnings.push(format!(
                        "`{path}`: maxLength says {keyword}, the description says {bytes} bytes; kept {keyword}"
                    )),
                    Some(_) => {}
                }
            }
        }
        if let Some((low, high)) = limits.range
            && integer
        {
            match (field.min, field.max) {
                (None, None) => {
                    field.min = Some(low);
                    field.max = Some(high);
                    self.warnings.push(format!(
                        "`{path}`: range [{low}, {high}] read from prose only; check it"
                    ));
                }
                (min, max) if min != Some(low) || max != Some(high) => {
                    self.warnings.push(format!(
                        "`{path}`: minimum/maximum differ from the range [{low}, {high}] in the description; kept the keywords"
                    ))
                }
                _ => {}
            }
        }
        if field.required != Some(true) && prose::says_conditionally_required(description) {
            self.warnings.push(format!(
                "`{path}`: required only in some cases (prose); say so in `docs`"
            ));
        }
    }

    /// QPS from the operation description.
    fn qps(&mut self, description: &str, request: &[Field]) -> QpsSpec {
        let Some(facts) = prose::parse_qps(description) else {
            self.warnings.push(format!(
                "the page states no QPS; {ASSUMED_QPS}/s per app assumed"
            ));
            return QpsSpec {
                limit: ASSUMED_QPS,
                scope: QpsScope::App,
                key: None,
                count: None,
                per_day: None,
                docs: None,
            };
        };
        let has = |name: &str| request.iter().any(|f| f.name == name);
        let (scope, key, count) = match facts.scope {
            QpsScopeHint::App => (QpsScope::App, None, None),
            QpsScopeHint::Group if has("GroupId") => {
                (QpsScope::Group, Some("GroupId".to_owned()), None)
            }
            QpsScopeHint::Room if has("RoomId") => {
                (QpsScope::Room, Some("RoomId".to_owned()), None)
            }
            QpsScopeHint::Group | QpsScopeHint::Room => {
                self.warnings.push(
                    "the QPS is per group or room, but no `GroupId`/`RoomId` field keys it; set `qps.key`"
                        .into(),
                );
                (QpsScope::App, None, None)
            }
            QpsScopeHint::Message => {
                let arrays: Vec<&Field> = request
                    .iter()
                    .filter(|f| f.ty.as_deref().is_some_and(|t| t.starts_with("array<")))
                    .collect();
                if let [only] = arrays.as_slice() {
                    (QpsScope::Message, None, Some(only.name.clone()))
                } else {
                    self.warnings.push(
                        "the QPS counts messages, but which request array holds them is unclear; set `qps.count`"
                            .into(),
                    );
                    (QpsScope::App, None, None)
                }
            }
        };
        QpsSpec {
            limit: facts.limit.max(1),
            scope,
            key,
            count,
            per_day: facts.per_day,
            docs: None,
        }
    }

    /// The per-item failure list: the one response array of objects with a `SubCode`.
    fn partial_failure(&mut self, response: &[Field]) -> Option<PartialFailureSpec> {
        let lists: Vec<&Field> = response
            .iter()
            .filter(|f| {
                f.ty.as_deref() == Some("array<object>")
                    && f.fields.iter().any(|inner| inner.name == "SubCode")
            })
            .collect();
        match lists.as_slice() {
            [] => None,
            [list] => {
                let id = list
                    .fields
                    .iter()
                    .find(|f| f.name != "SubCode" && f.name != "SubMessage")
                    .map(|f| f.name.clone());
                let message = list
                    .fields
                    .iter()
                    .find(|f| f.name == "SubMessage")
                    .map(|f| f.name.clone());
                Some(PartialFailureSpec {
                    list: list.name.clone(),
                    id,
                    code: "SubCode".into(),
                    message,
                })
            }
            _ => {
                self.warnings.push(
                    "several response arrays carry `SubCode`; choose the failure list by hand"
                        .into(),
                );
                None
            }
        }
    }

    /// Paging cannot be read reliably from the schema; say where it probably is.
    fn pagination_hint(&mut self, request: &[Field], response: &[Field]) {
        const CURSORS: &[&str] = &["Next", "NextFlag", "StartFlag", "Cursor"];
        let cursor = request.iter().find(|f| CURSORS.contains(&f.name.as_str()));
        let next = response
            .iter()
            .find(|f| CURSORS.contains(&f.name.as_str()) || f.name == "NextRsp");
        if let (Some(cursor), Some(next)) = (cursor, next) {
            self.warnings.push(format!(
                "looks paged (`{}` -> `{}`): write `pagination` by hand",
                cursor.name, next.name
            ));
        }
    }
}

/// `allOf` merged into one schema; `oneOf`/`anyOf` reduced to their first object branch.
fn merged_composition(schema: &Value) -> Value {
    let mut out = match schema {
        Value::Mapping(map) => map.clone(),
        _ => return schema.clone(),
    };
    if let Some(Value::Sequence(parts)) = out.remove("allOf") {
        for part in parts {
            let part = merged_composition(&part);
            if let Value::Mapping(part) = part {
                for (key, value) in part {
                    match (out.get_mut(&key), value) {
                        (Some(Value::Mapping(have)), Value::Mapping(more)) => {
                            for (k, v) in more {
                                have.insert(k, v);
                            }
                        }
                        (Some(Value::Sequence(have)), Value::Sequence(more)) => have.extend(more),
                        (None, value) => {
                            out.insert(key, value);
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    for key in ["oneOf", "anyOf"] {
        if !out.contains_key("type")
            && !out.contains_key("properties")
            && let Some(Value::Sequence(options)) = out.get(key).cloned()
            && let Some(first) = options.first()
            && let Value::Mapping(first) = merged_composition(first)
        {
            for (k, v) in first {
                out.entry(k).or_insert(v);
            }
        }
    }
    Value::Mapping(out)
}

fn is_integer_type(ty: &str) -> bool {
    let leaf = ty.trim_start_matches("array<").trim_end_matches('>');
    matches!(leaf, "int32" | "int64" | "uint32" | "uint64")
}

/// A whole number of a keyword; YAML integers are read as integers, never through f64.
fn int(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn uint(value: Option<&Value>) -> Option<u64> {
    int(value).and_then(|n| u64::try_from(n).ok())
}

fn scalar_of(value: &Value, ty: &str) -> Option<Scalar> {
    match (value, ty) {
        (Value::Bool(b), "bool") => Some(Scalar::Bool(*b)),
        (Value::Number(n), _) if is_integer_type(ty) => n.as_i64().map(Scalar::Int),
        (Value::String(s), _) if is_integer_type(ty) => s.trim().parse().ok().map(Scalar::Int),
        (Value::String(s), "string") => Some(Scalar::Str(s.clone())),
        (Value::Number(n), "string") => Some(Scalar::Str(n.to_string())),
        _ => None,
    }
}

/// `Value0`, `ValueMinus1`, or `Value<index>` for strings: a placeholder, never the
/// meaning's words.
fn value_name(value: &Scalar, index: usize) -> String {
    match value {
        Scalar::Int(i) if *i < 0 => format!("ValueMinus{}", i.unsigned_abs()),
        Scalar::Int(i) => format!("Value{i}"),
        Scalar::Bool(b) => if *b { "True" } else { "False" }.into(),
        Scalar::Str(_) => format!("Value{index}"),
    }
}
