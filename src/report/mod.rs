//! Stage 7 of the pipeline: reporters, side by side. Each one is a pure function of the scan
//! report (and the catalog, for rule metadata): same findings, same bytes.

pub mod json;
pub mod sarif;
pub mod text;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalog::EffortClass;
use crate::finding::Finding;

/// Totals shared by the text and JSON reports.
#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    pub findings: usize,
    pub by_kind: BTreeMap<&'static str, usize>,
    pub by_confidence: BTreeMap<&'static str, usize>,
    pub by_operation: BTreeMap<String, usize>,
    pub by_rule: BTreeMap<String, usize>,
    pub effort_points: u64,
    pub effort_by_class: BTreeMap<&'static str, usize>,
}

pub fn totals(findings: &[Finding]) -> Totals {
    let mut t = Totals {
        findings: findings.len(),
        by_kind: BTreeMap::new(),
        by_confidence: BTreeMap::new(),
        by_operation: BTreeMap::new(),
        by_rule: BTreeMap::new(),
        effort_points: 0,
        effort_by_class: BTreeMap::new(),
    };
    for class in [EffortClass::Trivial, EffortClass::Moderate, EffortClass::Redesign] {
        t.effort_by_class.insert(class.as_str(), 0);
    }
    for f in findings {
        *t.by_kind.entry(f.kind.as_str()).or_default() += 1;
        *t.by_confidence.entry(f.confidence.as_str()).or_default() += 1;
        if let Some(op) = &f.operation {
            *t.by_operation.entry(op.clone()).or_default() += 1;
        }
        *t.by_rule.entry(f.rule_id.clone()).or_default() += 1;
        t.effort_points += u64::from(f.effort.points);
        *t.effort_by_class.entry(f.effort.class.as_str()).or_default() += 1;
    }
    t
}
