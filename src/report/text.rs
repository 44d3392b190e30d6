//! The terminal report: one miette diagnostic per finding (snippet, label, and help with the
//! Files.com replacement in the file's own language), then a summary.

use std::fmt::Write as _;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, Severity, SourceCode, SourceSpan,
    SpanContents,
};

use super::totals;
use crate::finding::{Confidence, Finding};
use crate::scan::ScanReport;

/// How the report is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Unicode art and colours, for a terminal.
    Color,
    /// Plain ASCII, for files and pipes.
    Plain,
}

/// The finding's snippet, numbered with the file's own line numbers.
struct SnippetSource {
    name: String,
    text: String,
    first_line: usize,
}

impl SourceCode for SnippetSource {
    fn read_span<'a>(&'a self, span: &SourceSpan, before: usize, after: usize) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            inner.column(),
            inner.line_count(),
        )))
    }
}

#[derive(Debug)]
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
}

impl std::fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let first = self.finding.message.split(". ").next().unwrap_or(&self.finding.message);
        write!(f, "{}", first.trim_end_matches('.'))
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl std::fmt::Debug for SnippetSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

struct Rendered<'a> {
    diagnostic: FindingDiagnostic<'a>,
    source: SnippetSource,
}

impl std::fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.diagnostic.fmt(f)
    }
}
impl std::fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.diagnostic, f)
    }
}
impl std::error::Error for Rendered<'_> {}

impl Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        let f = self.diagnostic.finding;
        Some(Box::new(format!("{} {}", f.rule_id, f.rule_name)))
    }
    fn severity(&self) -> Option<Severity> {
        Some(match self.diagnostic.finding.confidence {
            Confidence::Low => Severity::Advice,
            _ => Severity::Warning,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        let f = self.diagnostic.finding;
        let mut help = String::new();
        let _ = writeln!(help, "Files.com REST: {}", f.replacement.rest.join("; "));
        let _ = writeln!(help, "Files.com {} SDK: {}", sdk_label(f.language), f.replacement.sdk);
        let points = if f.effort.points == 1 { "point" } else { "points" };
        let _ = writeln!(help, "effort: {} ({} {points}), {} change", f.effort.class.as_str(), f.effort.points, f.category.as_str());
        let _ = write!(help, "docs: {}", f.replacement.docs_url);
        Some(Box::new(help))
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let f = self.diagnostic.finding;
        let (a, b) = f.snippet_span;
        let label = match &f.operation {
            Some(op) => format!("{op} ({} confidence: {})", f.confidence.as_str(), evidence_text(f)),
            None => format!("{} ({} confidence: {})", f.subject, f.confidence.as_str(), evidence_text(f)),
        };
        Some(Box::new(std::iter::once(LabeledSpan::new(Some(label), a, b.saturating_sub(a)))))
    }
}

fn sdk_label(language: &str) -> &str {
    match language {
        "php" => "PHP",
        "python" => "Python",
        _ => "JavaScript",
    }
}

fn evidence_text(f: &Finding) -> String {
    f.evidence
        .iter()
        .map(|e| serde_json::to_value(e).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Renders the whole terminal report.
pub fn render(report: &ScanReport, style: Style, show_timing: bool) -> String {
    let theme = match style {
        Style::Color => GraphicalTheme::unicode(),
        Style::Plain => GraphicalTheme { characters: miette::ThemeCharacters::ascii(), styles: miette::ThemeStyles::none() },
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(120).with_context_lines(1);
    let mut out = String::new();
    for finding in &report.findings {
        let rendered = Rendered {
            diagnostic: FindingDiagnostic { finding },
            source: SnippetSource { name: finding.path.clone(), text: finding.snippet.clone(), first_line: finding.line - 1 },
        };
        let _ = handler.render_report(&mut out, &rendered);
        out.push('\n');
    }
    out.push_str(&summary(report, show_timing));
    out
}

fn summary(report: &ScanReport, show_timing: bool) -> String {
    let t = totals(&report.findings);
    let s = &report.stats;
    let mut out = String::new();
    let kinds = ["call", "envelope_check", "setup"]
        .iter()
        .map(|k| format!("{} {}", t.by_kind.get(k).copied().unwrap_or(0), k.replace('_', " ")))
        .collect::<Vec<_>>()
        .join(", ");
    let _ = writeln!(out, "Summary");
    let _ = writeln!(out, "  files scanned:       {} ({} parsed after the prefilter)", s.files_scanned, s.files_parsed);
    let _ = writeln!(out, "  files with findings: {}", s.files_with_findings);
    let _ = writeln!(out, "  findings:            {} ({kinds})", t.findings);
    let _ = writeln!(
        out,
        "  estimated effort:    {} points ({} trivial, {} moderate, {} redesign)",
        t.effort_points,
        t.effort_by_class.get("trivial").unwrap_or(&0),
        t.effort_by_class.get("moderate").unwrap_or(&0),
        t.effort_by_class.get("redesign").unwrap_or(&0)
    );
    if show_timing {
        let _ = writeln!(out, "  elapsed:             {:.2} s", report.elapsed.as_secs_f64());
    }
    if !t.by_operation.is_empty() {
        let _ = writeln!(out, "Findings per operation");
        let width = t.by_operation.keys().map(String::len).max().unwrap_or(0);
        for (op, n) in &t.by_operation {
            let _ = writeln!(out, "  {op:width$}  {n}");
        }
    }
    if s.below_min_confidence > 0 {
        let _ = writeln!(
            out,
            "{} more findings are below --min-confidence {} and not shown.",
            s.below_min_confidence,
            report.min_confidence.as_str()
        );
    }
    if report.skipped.is_empty() {
        let _ = writeln!(out, "Skipped files: none");
    } else {
        let _ = writeln!(out, "Skipped files: {}", report.skipped.len());
        for skip in &report.skipped {
            let _ = writeln!(out, "  {}: {}", skip.path, skip.reason);
        }
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(out, "Warnings: {}", report.warnings.len());
        for w in &report.warnings {
            let _ = writeln!(out, "  {}: {}", w.path, w.reason);
        }
    }
    out
}
