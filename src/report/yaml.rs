//! The report as YAML: the same content as the JSON, written from the same serde value.

use super::Presentation;
use crate::eval::Hasil;
use crate::model::Workspace;
use serde_json::Value;
use std::fmt::Write as _;

pub(super) fn report(ws: &Workspace, h: &Hasil, p: &Presentation) -> String {
    // Serialising the report into a value cannot fail: every key is text.
    let value = serde_json::to_value(super::json::tree(ws, h, p)).unwrap_or(Value::Null);
    yaml(&value)
}

fn yaml(v: &Value) -> String {
    let mut out = String::new();
    write(v, 0, &mut out);
    out
}

/// A value that fits on its key's line, as text.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some("null".into()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(string(s)),
        Value::Array(l) if l.is_empty() => Some("[]".into()),
        Value::Object(m) if m.is_empty() => Some("{}".into()),
        _ => None,
    }
}

fn write(v: &Value, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent);
    match v {
        Value::Array(items) => {
            for item in items {
                match (scalar(item), item) {
                    (Some(s), _) => {
                        let _ = writeln!(out, "{pad}- {s}");
                    }
                    (None, Value::Object(_)) => {
                        // The first key shares the dash's line.
                        let mut first = String::new();
                        write(item, indent + 1, &mut first);
                        let _ = write!(out, "{pad}- {}", first.trim_start());
                    }
                    (None, _) => {
                        let _ = writeln!(out, "{pad}-");
                        write(item, indent + 1, out);
                    }
                }
            }
        }
        Value::Object(entries) => {
            for (k, item) in entries {
                match scalar(item) {
                    Some(s) => {
                        let _ = writeln!(out, "{pad}{k}: {s}");
                    }
                    None => {
                        let _ = writeln!(out, "{pad}{k}:");
                        write(item, indent + 1, out);
                    }
                }
            }
        }
        other => {
            let _ = writeln!(out, "{pad}{}", scalar(other).unwrap_or_default());
        }
    }
}

/// Plain when YAML would read it back as the same text, double-quoted otherwise.
fn string(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || " ._-/()".contains(c))
        && !s.starts_with([' ', '-', '.'])
        && !s.ends_with(' ')
        && crate::base::number::parse_plain(s).is_err()
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "~"
        );
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_quote_what_would_change_meaning() {
        assert_eq!(string("SP1"), "SP1");
        assert_eq!(string("2022"), "\"2022\"");
        assert_eq!(string("yes"), "\"yes\"");
        assert_eq!(string("a: b"), "\"a: b\"");
        assert_eq!(string(""), "\"\"");
    }

    #[test]
    fn json_and_yaml_agree_on_structure() {
        let v: Value =
            serde_json::from_str(r#"{"a": 1.50, "b": [{"x": "SP1", "z": null}], "c": []}"#)
                .expect("json");
        assert_eq!(yaml(&v), "a: 1.50\nb:\n  - x: SP1\n    z: null\nc: []\n");
    }
}
