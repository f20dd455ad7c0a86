//! `check --show-settings`: what a check would read and how, instead of its findings: the
//! project root, the config file, each setting in effect, every rule's severity, and the
//! files, the plan's and those skipped as other tools'. For answering "why is this file
//! (not) checked?" and "which config applies here?".

use std::io::{self, Write};

use crate::check::Outcome;
use crate::rule::Rule;

use super::Format;
use super::escape::visible;

pub struct Settings;

impl Format for Settings {
    fn write(&self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
        super::buffered(out, |out| write(outcome, out))
    }
}

fn write(outcome: &Outcome, out: &mut impl Write) -> io::Result<()> {
    let config = &outcome.config;
    let list = |patterns: &[String]| {
        let quoted: Vec<String> = (patterns.iter())
            .map(|pattern| format!("{:?}", visible(pattern)))
            .collect();
        format!("[{}]", quoted.join(", "))
    };
    writeln!(out, "root: {}", visible(&outcome.root.to_string_lossy()))?;
    match &outcome.config_file {
        Some(file) => writeln!(out, "config: {}", visible(&file.to_string_lossy()))?,
        None => writeln!(out, "config: none, the defaults")?,
    }
    match &config.include_patterns {
        Some(patterns) => writeln!(out, "files.include: {}", list(patterns))?,
        None if config.skips_non_plan_files() => writeln!(
            out,
            "files.include: (not set: every YAML and TOML file, other tools' skipped)"
        )?,
        None => writeln!(out, "files.include: (not set: every YAML and TOML file)")?,
    }
    writeln!(out, "files.exclude: {}", list(&config.exclude_patterns))?;
    writeln!(out, "files.non-plan: {}", config.non_plan.as_str())?;
    writeln!(
        out,
        "utilization.threshold: {}",
        config.utilization_threshold
    )?;
    writeln!(out, "rules:")?;
    for &rule in Rule::ALL {
        let severity = config
            .severity(rule)
            .map_or("off", |severity| severity.as_str());
        let by = if config.sets(rule) { " (config)" } else { "" };
        writeln!(out, "  {:<26} {severity}{by}", rule.name())?;
    }
    let (plans, others): (Vec<_>, Vec<_>) = outcome.files.iter().partition(|file| !file.not_a_plan);
    writeln!(out, "plan files ({}):", plans.len())?;
    for file in plans {
        writeln!(out, "  {}", visible(&file.path))?;
    }
    if !others.is_empty() {
        writeln!(out, "skipped, not plan files ({}):", others.len())?;
        for file in others {
            writeln!(out, "  {}", visible(&file.path))?;
        }
    }
    Ok(())
}
