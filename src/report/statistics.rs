//! `check --statistics`: how many findings each rule has, most first, for sizing up a plan
//! before reading its findings one by one (as ruff's `--statistics` does).

use std::io::{self, Write};

use crate::check::Outcome;
use crate::rule::{Rule, Severity};

use super::Format;
use super::human::{not_plans_line, summary_line};

/// The counts instead of the findings, then the summary line. Narrow enough for 80 columns:
/// `ipam-lint explain RULE` says what a rule finds.
pub struct Statistics;

impl Format for Statistics {
    fn write(&self, outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
        super::buffered(out, |out| {
            for (rule, severity, count) in counts(outcome) {
                writeln!(
                    out,
                    "{count:>7}  {:<25}  {}",
                    rule.name(),
                    severity.as_str()
                )?;
            }
            writeln!(out, "{}", summary_line(&outcome.summary))?;
            if let Some(line) = not_plans_line(outcome) {
                writeln!(out, "{line}")?;
            }
            Ok(())
        })
    }
}

/// Per rule with findings: its severity (as the config sets it) and how many, most first,
/// then by rule name. Reviewing a change, the new findings only, as the human report shows
/// them.
fn counts(outcome: &Outcome) -> Vec<(Rule, Severity, usize)> {
    let mut counts: Vec<Option<(Severity, usize)>> = vec![None; Rule::ALL.len()];
    for (index, finding) in outcome.findings.iter().enumerate() {
        if (outcome.review.as_ref()).is_some_and(|review| !review.new[index]) {
            continue;
        }
        let slot = &mut counts[finding.rule as usize];
        slot.get_or_insert((finding.severity, 0)).1 += 1;
    }
    let mut counted: Vec<(Rule, Severity, usize)> = (Rule::ALL.iter().copied())
        .zip(counts)
        .filter_map(|(rule, count)| count.map(|(severity, n)| (rule, severity, n)))
        .collect();
    counted.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.name().cmp(b.0.name())));
    counted
}
