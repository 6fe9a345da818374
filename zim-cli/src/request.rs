//! The request of `zim call` as JSON: the `--json` base, with `Name=value` pairs over it, each
//! value read by its field's kind. Every problem is collected, so one run lists them all.

use serde_json::{Map, Number, Value};
use zim_client::runtime::catalog::{ActionInfo, FieldInfo, FieldKind};

/// Builds the request from `base` (the `--json` value, or an empty object) and `pairs`.
/// `Err` lists every problem found.
pub fn build(
    action: &ActionInfo,
    base: Option<Value>,
    pairs: &[String],
) -> Result<Value, Vec<String>> {
    let mut problems = Vec::new();
    let mut object = match base {
        None => Map::new(),
        Some(Value::Object(object)) => object,
        Some(other) => {
            problems.push(format!(
                "--json: expected a JSON object, got {}",
                kind_of(&other)
            ));
            Map::new()
        }
    };
    let mut given: Vec<&str> = Vec::new();
    for pair in pairs {
        let Some((name, text)) = pair.split_once('=') else {
            problems.push(format!("`{pair}`: expected Name=value"));
            continue;
        };
        let Some(field) = action.request.iter().find(|f| f.name == name) else {
            problems.push(unknown_field(action, name));
            continue;
        };
        let repeated = given.contains(&field.name);
        given.push(field.name);
        match (field.kind, repeated) {
            (FieldKind::TextList | FieldKind::IntegerList | FieldKind::BoolList, true) => {
                match list(field, text) {
                    Ok(items) => {
                        if let Some(Value::Array(existing)) = object.get_mut(field.name) {
                            existing.extend(items);
                        }
                    }
                    Err(problem) => problems.push(problem),
                }
            }
            (_, true) => problems.push(format!("`{name}` is given twice")),
            (_, false) => match value(field, text) {
                Ok(value) => {
                    object.insert(field.name.to_owned(), value);
                }
                Err(problem) => problems.push(problem),
            },
        }
    }
    let missing: Vec<&str> = action
        .request
        .iter()
        .filter(|f| f.required && !object.contains_key(f.name) && !given.contains(&f.name))
        .map(|f| f.name)
        .collect();
    if !missing.is_empty() {
        problems.push(format!(
            "missing required field{}: {}",
            plural(missing.len()),
            missing.join(", ")
        ));
    }
    if problems.is_empty() {
        Ok(Value::Object(object))
    } else {
        Err(problems)
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn unknown_field(action: &ActionInfo, name: &str) -> String {
    let nearest = action
        .request
        .iter()
        .map(|f| {
            (
                strsim::jaro_winkler(&name.to_lowercase(), &f.name.to_lowercase()),
                f.name,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let mut text = format!("`{name}` is not a field of {}", action.name);
    match nearest {
        Some((_, near)) => text.push_str(&format!("; did you mean `{near}`?")),
        None => {
            let names: Vec<&str> = action.request.iter().map(|f| f.name).collect();
            text.push_str(&format!(" (fields: {})", names.join(", ")));
        }
    }
    text
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The JSON value of `text` for `field`.
fn value(field: &FieldInfo, text: &str) -> Result<Value, String> {
    match field.kind {
        FieldKind::Text => Ok(named(field, text).unwrap_or_else(|| Value::String(text.to_owned()))),
        FieldKind::Integer => integer(field, text),
        FieldKind::Bool => boolean(field, text),
        FieldKind::TextList | FieldKind::IntegerList | FieldKind::BoolList => {
            // A JSON array is accepted as well as `a,b`.
            if text.trim_start().starts_with('[') {
                return json(field, text);
            }
            list(field, text).map(Value::Array)
        }
        FieldKind::Json => json(field, text),
    }
}

/// Items of a list field written `a,b,c` (empty text: no items).
fn list(field: &FieldInfo, text: &str) -> Result<Vec<Value>, String> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|item| match field.kind {
            FieldKind::IntegerList => integer(field, item.trim()),
            FieldKind::BoolList => boolean(field, item.trim()),
            _ => Ok(named(field, item).unwrap_or_else(|| Value::String(item.to_owned()))),
        })
        .collect()
}

/// The wire value of a possible value given by name (case does not matter).
fn named(field: &FieldInfo, text: &str) -> Option<Value> {
    let value = field
        .values
        .iter()
        .find(|v| v.name.eq_ignore_ascii_case(text.trim()))?;
    serde_json::from_str(value.value).ok()
}

fn integer(field: &FieldInfo, text: &str) -> Result<Value, String> {
    if let Some(value) = named(field, text) {
        return Ok(value);
    }
    let number = text
        .trim()
        .parse::<i64>()
        .map(Number::from)
        .or_else(|_| text.trim().parse::<u64>().map(Number::from));
    match number {
        Ok(number) => Ok(Value::Number(number)),
        Err(_) => {
            let mut problem = format!("`{}`: `{text}` is not an integer", field.name);
            if !field.values.is_empty() {
                let names: Vec<&str> = field.values.iter().map(|v| v.name).collect();
                problem.push_str(&format!(" nor one of {}", names.join(", ")));
            }
            Err(problem)
        }
    }
}

fn boolean(field: &FieldInfo, text: &str) -> Result<Value, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(Value::Bool(true)),
        "false" | "0" | "no" => Ok(Value::Bool(false)),
        _ => Err(format!("`{}`: `{text}` is not true or false", field.name)),
    }
}

fn json(field: &FieldInfo, text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|err| {
        format!(
            "`{}` ({}): `{text}` is not JSON: {err}",
            field.name, field.ty
        )
    })
}
