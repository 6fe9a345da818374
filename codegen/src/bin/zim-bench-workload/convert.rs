//! Converts the performance workload (`../shared/bench/make_workload.py --actions out.yaml`)
//! into a spec directory of the project's format: `service.yaml` plus
//! `actions/<category>/<Name>.yaml`.
//!
//! The workload lists actions with request and response fields (strings with a length limit in
//! characters, bounded integers, booleans, string enums, arrays of strings and arrays of
//! objects). Each becomes a POST action; the category comes from the noun in the action's
//! name, the envelope fields (`Code`, `Message`, `RequestId`) are left to the runtime, and
//! every action and field gets a one-line description so the generated code carries docs like
//! the real client does.
//!
//! Shared by the `zim-bench-workload` binary and the generation benchmark.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

/// The workload file.
#[derive(Debug, Deserialize)]
pub struct Workload {
    pub actions: Vec<WorkAction>,
}

/// One action of the workload.
#[derive(Debug, Deserialize)]
pub struct WorkAction {
    pub name: String,
    #[serde(default)]
    pub request: Vec<WorkField>,
    #[serde(default)]
    pub response: Vec<WorkField>,
}

/// One field of the workload.
#[derive(Debug, Deserialize)]
pub struct WorkField {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub max_len: Option<u64>,
    #[serde(default)]
    pub min: Option<i64>,
    #[serde(default)]
    pub max: Option<i64>,
    #[serde(default)]
    pub max_items: Option<u64>,
    #[serde(default, rename = "enum")]
    pub values: Option<Vec<String>>,
    #[serde(default)]
    pub fields: Vec<WorkField>,
}

/// Marks a service file the converter wrote, so it may replace the directory.
const HEADER: &str = "# Benchmark spec converted from the performance workload";

/// Fields every response carries; the runtime decodes them as the envelope.
const ENVELOPE: [&str; 3] = ["Code", "Message", "RequestId"];

/// Verbs that start the workload's action names.
const VERBS: [&str; 20] = [
    "Create", "Delete", "Query", "Update", "Add", "Remove", "Send", "Set", "Get", "Batch",
    "Modify", "Import", "Mute", "Unmute", "Transfer", "Dismiss", "Recall", "Register", "Clear",
    "Search",
];

/// Nouns of action names and the category (module) they belong to, longest first where one
/// starts with another.
const CATEGORIES: [(&str, &str); 30] = [
    ("GroupAttribute", "group"),
    ("GroupMember", "group"),
    ("GroupNotice", "group"),
    ("Group", "group"),
    ("UserAttribute", "user"),
    ("User", "user"),
    ("Friend", "user"),
    ("Blacklist", "user"),
    ("Account", "user"),
    ("Avatar", "user"),
    ("Alias", "user"),
    ("Remark", "user"),
    ("Status", "user"),
    ("Subscription", "user"),
    ("Message", "message"),
    ("Reaction", "message"),
    ("Receipt", "message"),
    ("Broadcast", "message"),
    ("Sensitive", "message"),
    ("Notification", "message"),
    ("RoomAttribute", "room"),
    ("Room", "room"),
    ("Conversation", "conversation"),
    ("Session", "conversation"),
    ("Peer", "conversation"),
    ("Tag", "conversation"),
    ("Call", "call_invitation"),
    ("Bot", "bot"),
    ("Command", "bot"),
    ("PushConfig", "push"),
];

/// The category of an action: from the noun after its verb, `misc` when none matches.
pub fn category(name: &str) -> &'static str {
    let rest = VERBS
        .iter()
        .find_map(|verb| name.strip_prefix(verb))
        .unwrap_or(name);
    CATEGORIES
        .iter()
        .find(|(noun, _)| rest.starts_with(noun))
        .map_or("misc", |(_, category)| category)
}

/// The service file of every converted spec.
pub fn service_yaml() -> String {
    let mut out = String::new();
    out.push_str(HEADER);
    out.push_str(
        r#"; regenerate it instead of editing.
name: ZIM-like benchmark API
docs: Synthetic actions shaped like the ZIM server API, for measuring the generator.

hosts:
  default: global
  regions:
    - id: global
      host: zim-api.zego.im
      docs: Unified endpoint.

signing:
  scheme: md5_concat
  version: "2.0"
  max_skew_secs: 600
  docs: Lower-case hex MD5 of AppId, SignatureNonce, ServerSecret and Timestamp.
  test_vector:
    app_id: 12345
    nonce: 4fd24687296dd9f3
    server_secret: 9193cc662a4c0ec135ec71fb57194b38
    timestamp: 1615186943
    signature: 43e5cfcca828314675f91b001390566a

public_params:
  - {name: Action, type: string, docs: Name of the action.}
  - {name: AppId, type: uint32, docs: The app id.}
  - {name: SignatureNonce, type: string, docs: Random hex nonce of the signature.}
  - {name: Timestamp, type: int64, docs: Unix time in seconds of the signature.}
  - {name: SignatureVersion, type: string, docs: Always 2.0.}
  - {name: Signature, type: string, docs: The signature.}

envelope:
  code: Code
  message: Message
  request_id: RequestId
"#,
    );
    out
}

/// The item type name the generator derives for an array-of-objects field (`Members` ->
/// `Member`), made unique within the action.
fn item_type(field: &str, taken: &mut BTreeSet<String>) -> String {
    let base = if let Some(stem) = field.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = field.strip_suffix('s') {
        stem.to_owned()
    } else {
        format!("{field}Item")
    };
    let mut name = format!("{base}Entry");
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}Entry{n}");
        n += 1;
    }
    name
}

/// A Rust variant name for an enum value (`iOS` -> `Ios`, `MacOS` -> `MacOs`).
fn variant_name(value: &str) -> String {
    heck::ToUpperCamelCase::to_upper_camel_case(value.to_ascii_lowercase().as_str())
        .chars()
        .enumerate()
        .map(|(i, c)| if i == 0 { c.to_ascii_uppercase() } else { c })
        .collect()
}

/// Writes one field (and its item fields) as a block list item at `indent`.
fn write_field(
    out: &mut String,
    field: &WorkField,
    indent: usize,
    side: &str,
    types: &mut BTreeSet<String>,
) -> Result<(), String> {
    let pad = " ".repeat(indent);
    let _ = writeln!(out, "{pad}- name: {}", field.name);
    let pad = " ".repeat(indent + 2);
    let ty = match field.ty.as_str() {
        "string" | "int32" | "int64" | "bool" | "array<string>" | "array<object>" => {
            field.ty.as_str()
        }
        other => return Err(format!("field `{}`: unknown type `{other}`", field.name)),
    };
    let _ = writeln!(out, "{pad}type: {ty}");
    if field.required {
        let _ = writeln!(out, "{pad}required: true");
    }
    match ty {
        "string" => {
            if let Some(max) = field.max_len {
                let _ = writeln!(out, "{pad}max_chars: {max}");
            }
        }
        "array<string>" => {
            if let Some(max) = field.max_items {
                let _ = writeln!(out, "{pad}max_items: {max}");
            }
            if let Some(max) = field.max_len {
                let _ = writeln!(out, "{pad}item_max_chars: {max}");
            }
        }
        "array<object>" => {
            if let Some(max) = field.max_items {
                let _ = writeln!(out, "{pad}max_items: {max}");
            }
            let _ = writeln!(out, "{pad}type_name: {}", item_type(&field.name, types));
        }
        _ => {
            if let Some(min) = field.min {
                let _ = writeln!(out, "{pad}min: {min}");
            }
            if let Some(max) = field.max {
                let _ = writeln!(out, "{pad}max: {max}");
            }
        }
    }
    if let Some(values) = &field.values {
        let _ = writeln!(out, "{pad}values_kind: closed");
        let _ = writeln!(out, "{pad}values:");
        for value in values {
            let _ = writeln!(
                out,
                "{pad}  - {{value: {value}, name: {}, docs: The value {value}.}}",
                variant_name(value)
            );
        }
    }
    let _ = writeln!(out, "{pad}docs: The {} field {}.", side, field.name);
    if ty == "array<object>" {
        let _ = writeln!(out, "{pad}fields:");
        for item in &field.fields {
            write_field(out, item, indent + 4, "item", types)?;
        }
    }
    Ok(())
}

/// The spec file of one action.
pub fn action_yaml(action: &WorkAction) -> Result<String, String> {
    let mut out = String::with_capacity(2048);
    let name = &action.name;
    let _ = write!(
        out,
        "name: {name}\ncategory: {}\nmethod: POST\n\
         purpose: Performs the synthetic {name} action of the benchmark.\n\
         qps:\n  limit: 20\n  scope: app\nretry_safe: false\n",
        category(name)
    );
    let mut types = BTreeSet::new();
    if !action.request.is_empty() {
        out.push_str("\nrequest:\n");
        for field in &action.request {
            write_field(&mut out, field, 2, "request", &mut types)
                .map_err(|e| format!("{name}: {e}"))?;
        }
    }
    let response: Vec<&WorkField> = action
        .response
        .iter()
        .filter(|f| !ENVELOPE.contains(&f.name.as_str()))
        .collect();
    if !response.is_empty() {
        out.push_str("\nresponse:\n");
        for field in response {
            write_field(&mut out, field, 2, "response", &mut types)
                .map_err(|e| format!("{name}: {e}"))?;
        }
    }
    Ok(out)
}

/// Parses the workload text.
pub fn parse(text: &str) -> Result<Workload, String> {
    serde_yaml::from_str(text).map_err(|e| format!("the workload is not readable: {e}"))
}

/// Writes the spec for `workload` into `dir` (created when missing). A directory the converter
/// wrote before is replaced; any other non-empty directory is refused. Returns the number of
/// actions written.
pub fn write_spec(workload: &Workload, dir: &Path) -> Result<usize, String> {
    let io = |what: &str, e: std::io::Error| format!("{what}: {e}");
    if dir.exists() {
        let service = dir.join("service.yaml");
        let ours = std::fs::read_to_string(&service)
            .map(|text| text.starts_with(HEADER))
            .unwrap_or(false);
        let empty = std::fs::read_dir(dir)
            .map_err(|e| io(&dir.display().to_string(), e))?
            .next()
            .is_none();
        if !ours && !empty {
            return Err(format!(
                "`{}` is not empty and was not written by this converter",
                dir.display()
            ));
        }
        let actions = dir.join("actions");
        if actions.exists() {
            std::fs::remove_dir_all(&actions).map_err(|e| io("removing old actions", e))?;
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| io(&dir.display().to_string(), e))?;
    std::fs::write(dir.join("service.yaml"), service_yaml())
        .map_err(|e| io("writing service.yaml", e))?;
    for action in &workload.actions {
        let folder = dir.join("actions").join(category(&action.name));
        std::fs::create_dir_all(&folder).map_err(|e| io(&folder.display().to_string(), e))?;
        let text = action_yaml(action)?;
        let file = folder.join(format!("{}.yaml", action.name));
        std::fs::write(&file, text).map_err(|e| io(&file.display().to_string(), e))?;
    }
    Ok(workload.actions.len())
}

/// Reads the workload file `input` and writes its spec into `dir`.
pub fn convert(input: &Path, dir: &Path) -> Result<usize, String> {
    let text = std::fs::read_to_string(input)
        .map_err(|e| format!("cannot read `{}`: {e}", input.display()))?;
    write_spec(&parse(&text)?, dir)
}
