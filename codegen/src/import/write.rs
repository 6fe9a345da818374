//! One action as a spec file in our format: keys in the order the README documents them,
//! unset keys left out, block style, two-space indents.

use std::fmt::Write;

use crate::spec::{
    ActionSpec, Field, Method, PossibleValue, QpsScope, ReturnCodeRef, Scalar, ValuesKind,
};

/// Where an action's file goes inside a spec directory.
pub fn action_path(action: &ActionSpec) -> String {
    format!("actions/{}/{}.yaml", action.category, action.name)
}

/// The file text; `source` (the published file's name) goes into a comment.
pub fn render(action: &ActionSpec, source: Option<&str>) -> String {
    let mut out = String::from("# yaml-language-server: $schema=../../schema.json\n");
    if let Some(source) = source {
        let _ = writeln!(out, "# Imported by `zim-codegen import` from {source}.");
    }
    line(&mut out, 0, "name", &quote(&action.name));
    if let Some(rust_name) = &action.rust_name {
        line(&mut out, 0, "rust_name", &quote(rust_name));
    }
    line(&mut out, 0, "category", &quote(&action.category));
    let method = match action.method {
        Method::Get => "GET",
        Method::Post => "POST",
    };
    line(&mut out, 0, "method", method);
    if let Some(host) = &action.host {
        line(&mut out, 0, "host", &quote(host));
    }
    line(&mut out, 0, "purpose", &quote(&action.purpose));
    if let Some(docs) = &action.docs {
        line(&mut out, 0, "docs", &quote(docs));
    }
    out.push_str("qps:\n");
    line(&mut out, 2, "limit", &action.qps.limit.to_string());
    let scope = match action.qps.scope {
        QpsScope::App => "app",
        QpsScope::Group => "group",
        QpsScope::Room => "room",
        QpsScope::Message => "message",
    };
    line(&mut out, 2, "scope", scope);
    if let Some(key) = &action.qps.key {
        line(&mut out, 2, "key", &quote(key));
    }
    if let Some(count) = &action.qps.count {
        line(&mut out, 2, "count", &quote(count));
    }
    if let Some(per_day) = action.qps.per_day {
        line(&mut out, 2, "per_day", &per_day.to_string());
    }
    if let Some(docs) = &action.qps.docs {
        line(&mut out, 2, "docs", &quote(docs));
    }
    line(&mut out, 0, "retry_safe", &action.retry_safe.to_string());
    for (key, fields) in [("request", &action.request), ("response", &action.response)] {
        if key == "response"
            && let Some(wrapper) = &action.response_wrapper
        {
            out.push('\n');
            line(&mut out, 0, "response_wrapper", &quote(wrapper));
        }
        if !fields.is_empty() {
            let _ = writeln!(out, "\n{key}:");
            field_list(&mut out, 0, fields);
        }
    }
    if let Some(p) = &action.pagination {
        out.push_str("\npagination:\n");
        let style = serde_yaml::to_string(&p.style).unwrap_or_default();
        line(&mut out, 2, "style", style.trim());
        line(&mut out, 2, "cursor", &quote(&p.cursor));
        line(&mut out, 2, "next", &quote(&p.next));
        line(&mut out, 2, "items", &quote(&p.items));
        out.push_str("  done_when:\n");
        line(&mut out, 4, "field", &quote(&p.done_when.field));
        let values: Vec<String> = p.done_when.values.iter().map(scalar).collect();
        line(&mut out, 4, "in", &format!("[{}]", values.join(", ")));
    }
    if let Some(p) = &action.partial_failure {
        out.push_str("\npartial_failure:\n");
        line(&mut out, 2, "list", &quote(&p.list));
        if let Some(id) = &p.id {
            line(&mut out, 2, "id", &quote(id));
        }
        line(&mut out, 2, "code", &quote(&p.code));
        if let Some(message) = &p.message {
            line(&mut out, 2, "message", &quote(message));
        }
    }
    if !action.return_codes.is_empty() {
        out.push_str("\nreturn_codes:\n");
        for code in &action.return_codes {
            match code {
                ReturnCodeRef::Global(n) => {
                    let _ = writeln!(out, "  - {n}");
                }
                ReturnCodeRef::Own(spec) => {
                    let _ = writeln!(out, "  - code: {}", spec.code);
                    line(&mut out, 4, "name", &quote(&spec.name));
                    line(&mut out, 4, "meaning", &quote(&spec.meaning));
                    if !spec.fix.is_empty() {
                        line(&mut out, 4, "fix", &quote(&spec.fix));
                    }
                    if spec.retry {
                        line(&mut out, 4, "retry", "true");
                    }
                }
            }
        }
    }
    if !action.upstream.is_empty() {
        out.push_str("\nupstream:\n");
        for difference in &action.upstream {
            let _ = writeln!(out, "  - path: {}", quote(&difference.path));
            let differs = serde_yaml::to_string(&difference.differs).unwrap_or_default();
            line(&mut out, 4, "differs", differs.trim());
            line(&mut out, 4, "why", &quote(&difference.why));
        }
    }
    out
}

fn field_list(out: &mut String, indent: usize, fields: &[Field]) {
    for field in fields {
        let pad = " ".repeat(indent);
        let _ = writeln!(out, "{pad}  - name: {}", quote(&field.name));
        let inner = indent + 4;
        let opt = |out: &mut String, key: &str, value: &Option<String>| {
            if let Some(value) = value {
                line(out, inner, key, &quote(value));
            }
        };
        opt(out, "rust_name", &field.rust_name);
        opt(out, "use", &field.use_def);
        opt(out, "type", &field.ty);
        opt(out, "type_name", &field.type_name);
        opt(out, "selector", &field.selector);
        if let Some(required) = field.required.filter(|r| *r) {
            line(out, inner, "required", &required.to_string());
        }
        if let Some(default) = &field.default {
            line(out, inner, "default", &scalar(default));
        }
        if !field.aliases.is_empty() {
            let aliases: Vec<String> = field.aliases.iter().map(|a| quote(a)).collect();
            line(out, inner, "aliases", &format!("[{}]", aliases.join(", ")));
        }
        let numbers: [(&str, Option<i128>); 9] = [
            ("min_len", field.min_len.map(i128::from)),
            ("max_chars", field.max_chars.map(i128::from)),
            ("max_bytes", field.max_bytes.map(i128::from)),
            ("min", field.min.map(i128::from)),
            ("max", field.max.map(i128::from)),
            ("min_items", field.min_items.map(i128::from)),
            ("max_items", field.max_items.map(i128::from)),
            ("item_max_chars", field.item_max_chars.map(i128::from)),
            ("item_max_bytes", field.item_max_bytes.map(i128::from)),
        ];
        for (key, value) in numbers {
            if let Some(value) = value {
                line(out, inner, key, &value.to_string());
            }
        }
        opt(out, "charset", &field.charset);
        opt(out, "prefix", &field.prefix);
        opt(out, "not_starting_with", &field.not_starting_with);
        if let Some(default) = field.max_items_default {
            line(out, inner, "max_items_default", &default.to_string());
        }
        if let Some(total) = &field.max_total_bytes {
            let of: Vec<String> = total.of.iter().map(|f| quote(f)).collect();
            line(
                out,
                inner,
                "max_total_bytes",
                &format!("{{of: [{}], max: {}}}", of.join(", "), total.max),
            );
        }
        if !field.values.is_empty() {
            if let Some(kind) = field.values_kind {
                let kind = match kind {
                    ValuesKind::Closed => "closed",
                    ValuesKind::Open => "open",
                    ValuesKind::Flags => "flags",
                };
                line(out, inner, "values_kind", kind);
            }
            let _ = writeln!(out, "{}values:", " ".repeat(inner));
            for value in &field.values {
                possible_value(out, inner, value);
            }
        }
        opt(out, "docs", &field.docs);
        if !field.fields.is_empty() {
            let _ = writeln!(out, "{}fields:", " ".repeat(inner));
            field_list(out, inner, &field.fields);
        }
    }
}

fn possible_value(out: &mut String, indent: usize, value: &PossibleValue) {
    let pad = " ".repeat(indent);
    let _ = writeln!(out, "{pad}  - value: {}", scalar(&value.value));
    line(out, indent + 4, "name", &quote(&value.name));
    if !value.docs.is_empty() {
        line(out, indent + 4, "docs", &quote(&value.docs));
    }
}

fn line(out: &mut String, indent: usize, key: &str, value: &str) {
    let _ = writeln!(out, "{}{key}: {value}", " ".repeat(indent));
}

/// A scalar as YAML: strings always quoted so `"1"` stays a string.
fn scalar(value: &Scalar) -> String {
    match value {
        Scalar::Bool(b) => b.to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::Str(s) => serde_json::to_string(s).unwrap_or_default(),
    }
}

/// A string as a YAML scalar: plain when that reads back as the same string, else in
/// double quotes (JSON escaping is valid YAML).
fn quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " _-.,/()'<>".contains(c))
        && !text.starts_with([' ', '-', '\''])
        && !text.ends_with(' ')
        && serde_yaml::from_str::<serde_yaml::Value>(text).ok()
            == Some(serde_yaml::Value::String(text.to_owned()));
    if plain {
        text.to_owned()
    } else {
        serde_json::to_string(text).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_keeps_strings_strings() {
        assert_eq!(quote("UserId"), "UserId");
        assert_eq!(quote("true"), "\"true\"");
        assert_eq!(quote("123"), "\"123\"");
        assert_eq!(quote("a: b"), "\"a: b\"");
        assert_eq!(quote("TODO: describe"), "\"TODO: describe\"");
        assert_eq!(quote(""), "\"\"");
    }
}
