//! `high-utilization`: a pool whose declared addresses fill at least the threshold of it.
//! Counts the distinct addresses of the pool's space inside it, of any type.

use crate::finding::Finding;

use super::{Context, Rule};

pub const HIGH_UTILIZATION_DOCS: &str = r#"## What it finds

A pool (a range of type `static`, `dhcp` or `vip`) whose declared addresses, of any type,
fill at least `utilization.threshold` of it (0.8 unless the config says otherwise).

## Why it matters

A pool that runs dry fails the next deployment; seeing it at 80% leaves time to grow it.

## Example

```yaml
subnets:
  - { cidr: 10.0.0.0/24 }
ranges:
  - { start: 10.0.0.10, end: 10.0.0.13 }
addresses:
  - { ip: 10.0.0.10 }
  - { ip: 10.0.0.11 }
  - { ip: 10.0.0.12 }
  - { ip: 10.0.0.13 }
```

Fixed:

```yaml
subnets:
  - { cidr: 10.0.0.0/24 }
ranges:
  - { start: 10.0.0.10, end: 10.0.0.29 }
addresses:
  - { ip: 10.0.0.10 }
  - { ip: 10.0.0.11 }
  - { ip: 10.0.0.12 }
  - { ip: 10.0.0.13 }
```
"#;

pub fn check(context: &Context, findings: &mut Vec<Finding>) {
    let model = context.model;
    let mut counter = context.addresses.counter();
    for range in model.ranges.iter().filter(|r| r.kind.is_pool()) {
        let span = range.interval();
        let used = counter.distinct_in(range.common.space, span);
        let size = span.size();
        let ratio = used as f64 / size as f64;
        if used > 0 && ratio >= context.utilization_threshold {
            findings.push(
                Finding::new(
                    Rule::HighUtilization,
                    range.start.span,
                    format!(
                        "{} pool {} is {:.0}% full: {used} of {size} addresses declared",
                        range.kind.as_str(),
                        range.describe(),
                        ratio * 100.0
                    ),
                )
                .in_space(model.space_name(range.common.space))
                .help(format!(
                    "the threshold is {:.0}% (`utilization.threshold` in ipam-lint.toml)",
                    context.utilization_threshold * 100.0
                )),
            );
        }
    }
}
