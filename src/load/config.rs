//! `ipam-lint.toml`: the plan's files, rule severities, the utilization threshold.
//! Any unknown key or rule name is a usage error, so a typo never silently does nothing.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::rule::Rule;
use crate::rule::Severity;
use crate::suggest::closest;

pub const CONFIG_FILE_NAME: &str = "ipam-lint.toml";
pub const DEFAULT_UTILIZATION_THRESHOLD: f64 = 0.8;

#[derive(Debug, Clone)]
pub struct Config {
    /// `files.include`: when set, only the files it matches are read, and every one is a
    /// plan file.
    pub include: Option<GlobSet>,
    pub exclude: GlobSet,
    /// `files.non-plan`: what becomes of a file that is not a plan's (`load::recognize`).
    pub non_plan: NonPlan,
    /// The globs of `include` and `exclude` as written, to show them.
    pub include_patterns: Option<Vec<String>>,
    pub exclude_patterns: Vec<String>,
    /// Severity overrides; `None` turns a rule off.
    pub severities: HashMap<Rule, Option<Severity>>,
    pub utilization_threshold: f64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            include: None,
            exclude: GlobSet::empty(),
            non_plan: NonPlan::Skip,
            include_patterns: None,
            exclude_patterns: Vec::new(),
            severities: HashMap::new(),
            utilization_threshold: DEFAULT_UTILIZATION_THRESHOLD,
        }
    }
}

/// What becomes of a YAML or TOML file found under the root that is some other tool's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NonPlan {
    /// Left out, and named in the summary.
    Skip,
    /// Checked as a plan file, so each of its keys is a `schema` error (SPEC §2 and §3 to
    /// the letter).
    Check,
}

impl NonPlan {
    pub fn as_str(self) -> &'static str {
        match self {
            NonPlan::Skip => "skip",
            NonPlan::Check => "check",
        }
    }
}

impl Config {
    /// Whether the config sets this rule's severity (or turns it off).
    pub fn sets(&self, rule: Rule) -> bool {
        self.severities.contains_key(&rule)
    }

    /// Whether a file of this root-relative name is read: included (when `files.include`
    /// is set) and not excluded.
    pub fn takes(&self, name: &str) -> bool {
        self.include
            .as_ref()
            .is_none_or(|include| include.is_match(name))
            && !self.exclude.is_match(name)
    }

    /// Whether files are told apart as plan files or other tools' ones: not when
    /// `files.include` says which files are the plan's, nor when `files.non-plan` is
    /// `"check"`.
    pub fn skips_non_plan_files(&self) -> bool {
        self.include.is_none() && self.non_plan == NonPlan::Skip
    }

    /// The severity a rule's findings carry, or `None` when the rule is off.
    pub fn severity(&self, rule: Rule) -> Option<Severity> {
        match self.severities.get(&rule) {
            Some(setting) => *setting,
            None => Some(rule.default_severity()),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    files: FilesSection,
    #[serde(default)]
    rules: BTreeMap<String, String>,
    #[serde(default)]
    utilization: UtilizationSection,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FilesSection {
    include: Option<Vec<String>>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(rename = "non-plan")]
    non_plan: Option<NonPlan>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct UtilizationSection {
    threshold: Option<f64>,
}

/// What `ipam-lint init` writes: every setting, commented out at its default, so the file
/// changes nothing until a line is taken in. A test takes every line in and reads it back.
pub const STARTER: &str = r#"# ipam-lint's settings for this plan. The directory holding this file is the project
# root: file names in findings are relative to it, and `ipam-lint check` run anywhere
# below it checks the whole plan. Every setting is commented out at its default.

[files]
# The plan's files, as globs relative to the root. Unset, every YAML and TOML file is
# read, and those of other tools (an Ansible playbook, mkdocs.yml, a Kubernetes
# manifest) are skipped and named in the summary. Set, only these are read, each one
# checked as a plan file.
# include = ["plans/**"]

# Paths to leave out, as globs relative to the root (gitignore-style; hidden files and
# what .gitignore ignores are left out already).
# exclude = ["archive/**", "**/*.draft.yaml"]

# What becomes of a file that is not a plan's when include is unset: "skip" it, or
# "check" it as a plan file, so each of its keys is a schema error.
# non-plan = "skip"

[rules]
# A rule's severity: "error", "warning" or "off". `ipam-lint rules` lists every rule with
# its default; `ipam-lint explain RULE` says what it finds.
# duplicate-name = "error"
# high-utilization = "off"

[utilization]
# How full a pool may be before `high-utilization` warns (0 to 1).
# threshold = 0.8
"#;

/// A config is a few lines; a larger one is refused rather than parsed (the TOML parser
/// needs many times a file's size in memory).
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Reads a config file; the error is a complete message naming the file.
pub fn read_config(path: &Path) -> Result<Config, String> {
    let cannot_read = |reason: String| format!("cannot read config {}: {reason}", path.display());
    let (file, metadata) = super::open_regular(path, true).map_err(|error| {
        if error.kind() == std::io::ErrorKind::Other {
            cannot_read("not a regular file".to_owned())
        } else {
            cannot_read(error.to_string())
        }
    })?;
    if metadata.len() > MAX_CONFIG_BYTES {
        return Err(cannot_read(format!(
            "it is over the limit of {} MiB for a config",
            MAX_CONFIG_BYTES / (1024 * 1024)
        )));
    }
    let mut text = String::new();
    file.take(MAX_CONFIG_BYTES)
        .read_to_string(&mut text)
        .map_err(|error| cannot_read(error.to_string()))?;
    parse_config(&text).map_err(|reason| format!("invalid config {}: {reason}", path.display()))
}

pub fn parse_config(text: &str) -> Result<Config, String> {
    let file: ConfigFile =
        toml::from_str(text).map_err(|error| error.to_string().trim_end().to_owned())?;
    let include = match &file.files.include {
        Some(patterns) => Some(glob_set("files.include", patterns)?),
        None => None,
    };
    let exclude = glob_set("files.exclude", &file.files.exclude)?;

    let mut severities = HashMap::new();
    for (name, setting) in &file.rules {
        let rule = Rule::from_name(name).ok_or_else(|| {
            let hint = closest(name, Rule::ALL.iter().map(|rule| rule.name())).map_or_else(
                || "`ipam-lint rules` lists them".to_owned(),
                |near| format!("did you mean `{near}`?"),
            );
            format!("unknown rule `{name}` in [rules]; {hint}")
        })?;
        let severity = match setting.as_str() {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "off" => None,
            other => {
                return Err(format!(
                    "rule `{name}` is set to `{other}`; expected \"error\", \"warning\" or \"off\""
                ));
            }
        };
        severities.insert(rule, severity);
    }

    let utilization_threshold = file
        .utilization
        .threshold
        .unwrap_or(DEFAULT_UTILIZATION_THRESHOLD);
    if !(utilization_threshold > 0.0 && utilization_threshold <= 1.0) {
        return Err(format!(
            "utilization.threshold is {utilization_threshold}; expected a fraction greater than 0 and at most 1"
        ));
    }
    Ok(Config {
        include,
        exclude,
        non_plan: file.files.non_plan.unwrap_or(NonPlan::Skip),
        include_patterns: file.files.include,
        exclude_patterns: file.files.exclude,
        severities,
        utilization_threshold,
    })
}

/// Globs are relative to the root; `*` stays within one path segment, `**` crosses them.
fn glob_set(setting: &str, patterns: &[String]) -> Result<GlobSet, String> {
    let mut set = GlobSetBuilder::new();
    for pattern in patterns {
        let glob: Glob = GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .map_err(|error| format!("{setting}: {error}"))?;
        set.add(glob);
    }
    set.build().map_err(|error| format!("{setting}: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_section() {
        let config = parse_config(
            "[files]\nexclude = [\"legacy/**\"]\n[rules]\nduplicate-name = \"off\"\ngateway-in-pool = \"error\"\n[utilization]\nthreshold = 0.9\n",
        )
        .unwrap();
        assert!(config.exclude.is_match("legacy/a/b.yaml"));
        assert!(!config.exclude.is_match("current/legacy.yaml"));
        assert_eq!(config.severity(Rule::DuplicateName), None);
        assert_eq!(config.severity(Rule::GatewayInPool), Some(Severity::Error));
        assert_eq!(
            config.severity(Rule::DuplicateVlan),
            Some(Severity::Warning)
        );
        assert_eq!(config.utilization_threshold, 0.9);
    }

    #[test]
    fn rejects_unknown_keys_rules_and_values() {
        assert!(
            parse_config("[file]\n")
                .unwrap_err()
                .contains("unknown field")
        );
        assert!(
            parse_config("[rules]\nno-such-rule = \"off\"\n")
                .unwrap_err()
                .contains("no-such-rule")
        );
        assert!(
            parse_config("[rules]\nsyntax = \"fatal\"\n")
                .unwrap_err()
                .contains("fatal")
        );
        assert!(parse_config("[utilization]\nthreshold = 1.5\n").is_err());
        assert!(parse_config("[files]\nexclude = [\"a/[\"]\n").is_err());
    }
}
