//! The JSON planning report. Its shape is versioned by `schema_version` and documented in
//! README.md; it holds no timing, so the same tree always gives the same bytes.

use serde::Serialize;

use super::{totals, Totals};
use crate::finding::Finding;
use crate::scan::ScanReport;

pub const SCHEMA_VERSION: &str = "1.0";

#[derive(Serialize)]
struct Report<'a> {
    schema_version: &'static str,
    tool: Tool,
    catalog_version: u32,
    roots: &'a [String],
    min_confidence: &'static str,
    summary: Summary,
    findings: &'a [Finding],
    skipped: Vec<PathReason<'a>>,
    warnings: Vec<PathMessage<'a>>,
}

#[derive(Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

pub fn tool() -> Tool {
    Tool { name: env!("CARGO_PKG_NAME"), version: env!("CARGO_PKG_VERSION") }
}

#[derive(Serialize)]
struct Summary {
    files_scanned: usize,
    files_parsed: usize,
    files_with_findings: usize,
    files_skipped: usize,
    below_min_confidence: usize,
    #[serde(flatten)]
    totals: Totals,
}

#[derive(Serialize)]
struct PathReason<'a> {
    path: &'a str,
    reason: &'a str,
}

#[derive(Serialize)]
struct PathMessage<'a> {
    path: &'a str,
    message: &'a str,
}

pub fn render(report: &ScanReport, catalog_version: u32) -> String {
    let out = Report {
        schema_version: SCHEMA_VERSION,
        tool: tool(),
        catalog_version,
        roots: &report.roots,
        min_confidence: report.min_confidence.as_str(),
        summary: Summary {
            files_scanned: report.stats.files_scanned,
            files_parsed: report.stats.files_parsed,
            files_with_findings: report.stats.files_with_findings,
            files_skipped: report.skipped.len(),
            below_min_confidence: report.stats.below_min_confidence,
            totals: totals(&report.findings),
        },
        findings: &report.findings,
        skipped: report.skipped.iter().map(|s| PathReason { path: &s.path, reason: &s.reason }).collect(),
        warnings: report.warnings.iter().map(|s| PathMessage { path: &s.path, message: &s.reason }).collect(),
    };
    let mut text = serde_json::to_string_pretty(&out).expect("report serializes");
    text.push('\n');
    text
}
