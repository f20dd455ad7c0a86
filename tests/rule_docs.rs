//! Rule documentation cannot drift from the code: `docs/rules/` holds exactly what
//! `ipam-lint explain` prints, and every documented example is checked, the faulty plan
//! raising its rule and the fixed plan clean. Regenerate the pages with
//! `UPDATE_DOCS=1 cargo test --test rule_docs`.

use std::fs;
use std::path::{Path, PathBuf};

use ipam_lint::check::check_paths;
use ipam_lint::rules::RULES;

fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules")
}

fn index() -> String {
    let mut text = String::from(
        "# Rules\n\nEvery rule ipam-lint checks, with its default severity. Each page is what \
         `ipam-lint explain RULE` prints. Severities can be changed, or rules turned off, in \
         `ipam-lint.toml` under `[rules]`.\n\n| rule | default | finds |\n| --- | --- | --- |\n",
    );
    for info in RULES {
        text.push_str(&format!(
            "| [`{0}`]({0}.md) | {1} | {2} |\n",
            info.name,
            info.default_severity.as_str(),
            info.summary
        ));
    }
    text
}

#[test]
fn docs_pages_are_the_explain_text() {
    let mut expected: Vec<(PathBuf, String)> = RULES
        .iter()
        .map(|info| {
            (
                docs_dir().join(format!("{}.md", info.name)),
                info.rule.explain(),
            )
        })
        .collect();
    expected.push((docs_dir().join("README.md"), index()));
    if std::env::var_os("UPDATE_DOCS").is_some() {
        fs::create_dir_all(docs_dir()).unwrap();
        for (path, text) in &expected {
            fs::write(path, text).unwrap();
        }
    }
    for (path, text) in &expected {
        let on_disk = fs::read_to_string(path).unwrap_or_default();
        assert!(
            &on_disk == text,
            "{} is stale; regenerate with UPDATE_DOCS=1 cargo test --test rule_docs",
            path.display()
        );
    }
    let pages = fs::read_dir(docs_dir()).unwrap().count();
    assert_eq!(
        pages,
        RULES.len() + 1,
        "docs/rules/ holds a page for a rule that does not exist"
    );
}

/// The YAML blocks of a page: the faulty example, then the fixed one.
fn examples(docs: &str) -> Vec<String> {
    docs.split("```yaml\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap().to_owned())
        .collect()
}

fn rules_found(plan: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("plan.yaml"), plan).unwrap();
    let outcome = check_paths(&[dir.path().to_path_buf()]).unwrap();
    outcome
        .findings
        .iter()
        .map(|f| f.rule.name().to_owned())
        .collect()
}

#[test]
fn every_example_shows_its_rule_and_its_fix() {
    for info in RULES {
        let blocks = examples(info.docs);
        assert_eq!(
            blocks.len(),
            2,
            "{}: expected a faulty and a fixed example",
            info.name
        );
        let faulty = rules_found(&blocks[0]);
        assert!(
            faulty.iter().any(|rule| rule == info.name),
            "{}: the faulty example raises {faulty:?}",
            info.name
        );
        let fixed = rules_found(&blocks[1]);
        assert!(
            fixed.is_empty(),
            "{}: the fixed example still raises {fixed:?}",
            info.name
        );
    }
}

#[test]
fn every_page_explains_what_why_and_how() {
    for info in RULES {
        for heading in [
            "## What it finds",
            "## Why it matters",
            "## Example",
            "Fixed:",
        ] {
            assert!(info.docs.contains(heading), "{} lacks {heading}", info.name);
        }
    }
}

/// The README's table of rules: every rule, in the order of the list, with its default
/// severity and summary.
fn readme_table() -> String {
    let mut table = String::from("| rule | default | finds |\n| --- | --- | --- |\n");
    for info in RULES {
        table.push_str(&format!(
            "| [`{0}`](docs/rules/{0}.md) | {1} | {2} |\n",
            info.name,
            info.default_severity.as_str(),
            info.summary.replace('|', "\\|")
        ));
    }
    table
}

#[test]
fn the_readme_lists_every_rule() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = fs::read_to_string(&path).unwrap();
    let start = readme
        .find("| rule | default | finds |\n")
        .expect("the README has a table of rules");
    let end = readme[start..]
        .find("\n\n")
        .map_or(readme.len(), |at| start + at + 1);
    let expected = readme_table();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        let updated = format!("{}{expected}{}", &readme[..start], &readme[end..]);
        fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        readme[start..end] == expected,
        "the README's table of rules is stale; regenerate with UPDATE_DOCS=1 cargo test --test rule_docs"
    );
}
