//! The JSON Schema of the spec format, published as `spec/schema.json` for editors.

use crate::spec::{ActionSpec, ServiceSpec};

/// The schema as pretty JSON text with a trailing newline. One document validates both file
/// kinds: a file is an action or the service file.
pub fn spec_schema_json() -> String {
    let mut generator = schemars::SchemaGenerator::default();
    let action = generator.subschema_for::<ActionSpec>();
    let service = generator.subschema_for::<ServiceSpec>();
    let mut root = schemars::json_schema!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ZIM API spec file",
        "description": "A file of the ZIM API spec: one action (spec/actions/<category>/<Action>.yaml) or the service file (spec/service.yaml).",
        "anyOf": [action, service],
    });
    let definitions = generator.take_definitions(true);
    root.insert("$defs".into(), serde_json::Value::Object(definitions));
    let mut text = serde_json::to_string_pretty(&root).unwrap_or_default();
    text.push('\n');
    text
}
