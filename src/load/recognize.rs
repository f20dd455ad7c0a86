//! Telling a plan file from the other YAML and TOML a repository holds (an Ansible
//! playbook, `mkdocs.yml`, a Kubernetes manifest, a Compose file, `Cargo.toml`), so that a
//! check of the whole repository reports the plan's faults and not theirs.
//!
//! The test weighs the top-level keys. A key of the plan (or one near enough to be its
//! typo) whose value has the shape that key takes speaks for a plan; any other key speaks
//! against. A file is another tool's only when nothing speaks for a plan and something
//! speaks against it, so a plan file with a misspelt key is still checked, and an empty file
//! is a plan with nothing in it.

use super::decode::FILE_KEYS;
use super::tree::{Node, Value};
use crate::suggest::closest;

/// The keys a declaration has and an item of another tool's top-level list hardly ever
/// does: a plan written as a bare list of declarations is still recognised, and checked.
const DECLARATION_KEYS: &[&str] = &["cidr", "ip", "start", "end", "gateway"];

/// Whether a parsed file is a plan file (see the module's documentation).
pub fn is_plan(root: &Node<'_>) -> bool {
    match &root.value {
        Value::Null => true,
        Value::Map(entries) => {
            let mut against = false;
            for (key, value) in entries {
                match speaks_for_plan(key, value) {
                    Some(true) => return true,
                    Some(false) => against = true,
                    None => {}
                }
            }
            !against
        }
        // Another tool's list is of mappings (an Ansible playbook's plays); a plan written
        // as a list, of declarations or of anything else, is checked and told it is not a
        // mapping.
        Value::Seq(items) => {
            items.is_empty()
                || items.iter().any(|item| match &item.value {
                    Value::Map(entries) => entries.iter().any(|(key, _)| {
                        matches!(&key.value, Value::Str(k) if DECLARATION_KEYS.contains(&k.as_ref()))
                    }),
                    _ => true,
                })
        }
        // A lone scalar is no tool's configuration; the plan's schema says what it lacks.
        _ => true,
    }
}

/// Whether a text holds a template's placeholder, `{{ x }}`, `{{- x }}` or `{{.x}}` (Go
/// templates, Jinja), as a Helm chart's templates do; `{{{` nesting is not one.
pub fn has_placeholder(text: &str) -> bool {
    text.match_indices("{{")
        .any(|(at, _)| matches!(text.as_bytes().get(at + 2), Some(b' ' | b'-' | b'.')))
}

/// `Some(true)` for a top-level entry that speaks for a plan, `Some(false)` against, `None`
/// for a plan's key with a value of another shape (a Compose file's `networks` mapping).
fn speaks_for_plan(key: &Node<'_>, value: &Node<'_>) -> Option<bool> {
    let Value::Str(name) = &key.value else {
        return Some(false);
    };
    if FILE_KEYS.contains(&name.as_ref()) {
        return has_shape_of(name, value).then_some(true);
    }
    match closest(name, FILE_KEYS.iter().copied()) {
        Some(meant) if has_shape_of(meant, value) => Some(true),
        _ => Some(false),
    }
}

/// Whether `value` has the shape the plan's top-level key `key` takes: a string for the
/// file's defaults, a list (or nothing yet) for the declarations.
fn has_shape_of(key: &str, value: &Node<'_>) -> bool {
    match key {
        "source" | "space" | "scope" => matches!(value.value, Value::Str(_)),
        _ => matches!(value.value, Value::Seq(_) | Value::Null),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::formats::Format;

    fn plan(name: &str, text: &str) -> bool {
        let format = Format::of_name(name.as_bytes()).unwrap();
        is_plan(&format.parse(text).unwrap())
    }

    #[test]
    fn other_tools_files_are_not_plans() {
        assert!(!plan(
            "site.yml",
            "- hosts: all\n  tasks:\n    - name: ping\n      ping:\n"
        ));
        assert!(!plan(
            "mkdocs.yml",
            "site_name: Network\nnav:\n  - index.md\n"
        ));
        assert!(!plan(
            "deploy.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n"
        ));
        assert!(!plan(
            "compose.yaml",
            "services:\n  web:\n    image: nginx\nnetworks:\n  front: {}\n"
        ));
        assert!(!plan(
            "values.yaml",
            "replicaCount: 1\nimage:\n  repository: nginx\n"
        ));
        assert!(!plan(
            "Cargo.toml",
            "[package]\nname = \"x\"\nversion = \"0.1.0\"\n"
        ));
    }

    #[test]
    fn placeholders_are_told_from_nested_flow_collections() {
        assert!(has_placeholder("name: {{ .Release.Name }}"));
        assert!(has_placeholder("{{- if .Values.x }}"));
        assert!(has_placeholder("a: {{.Values.x}}"));
        assert!(!has_placeholder("a: {{{{}}}}"));
        assert!(!has_placeholder("a: { b: {c: 1} }"));
    }

    #[test]
    fn plans_with_faults_are_still_plans() {
        assert!(plan("empty.yaml", ""));
        assert!(plan("a.yaml", "subnets:\n  - cidr: 10.0.0.0/24\n"));
        // A misspelt key with a list under it, and a plan key beside a stray one.
        assert!(plan("a.yaml", "subnet:\n  - cidr: 10.0.0.0/24\n"));
        assert!(plan("a.yaml", "source: vmm\nextra: 1\n"));
        // A plan key of the wrong shape, and nothing else: the schema says what is wrong.
        assert!(plan("a.yaml", "networks:\n  dc1: {}\n"));
        // A bare list of declarations, or of anything but mappings.
        assert!(plan("a.yaml", "- cidr: 10.0.0.0/24\n"));
        assert!(plan("a.yaml", "- 10.0.0.0/24\n"));
        assert!(plan("a.yaml", "[]\n"));
        // A lone scalar.
        assert!(plan("a.yaml", "10.0.0.0/24\n"));
        assert!(plan("a.toml", "[[subnets]]\ncidr = \"10.0.0.0/24\"\n"));
    }
}
