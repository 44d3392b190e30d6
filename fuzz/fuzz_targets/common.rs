//! The per-file pipeline under test (bytes + language in, findings out) and the checks every
//! finding must pass. Shared by the fuzz targets and by `tests/properties.rs`, so both exercise
//! the same thing: a panic anywhere, or a position outside the file, is a failure.

#![allow(dead_code)]

use std::sync::OnceLock;
use std::time::Duration;

use exavault_migrate::catalog::Catalog;
use exavault_migrate::finding::Confidence;
use exavault_migrate::language::Lang;
use exavault_migrate::position::{count_columns, LineIndex};
use exavault_migrate::scan::{decode, FileOutcome, Pipeline, SourceOptions};

pub fn pipeline() -> &'static Pipeline<'static> {
    static PIPELINE: OnceLock<Pipeline<'static>> = OnceLock::new();
    PIPELINE.get_or_init(|| {
        let catalog: &'static Catalog = Box::leak(Box::new(Catalog::embedded().expect("embedded catalog")));
        Pipeline::new(catalog)
    })
}

/// Scans `data` as `lang` with every finding kept and without the prefilter (so every input
/// reaches the parser, the queries and the matcher), then checks every finding's position.
pub fn check(lang: Lang, data: &[u8]) -> FileOutcome {
    let options = SourceOptions { min_confidence: Confidence::Low, prefilter: false, parse_timeout: Duration::from_secs(2) };
    let outcome = pipeline().scan_source(lang, "input", data.to_vec(), &options);
    if outcome.findings.is_empty() {
        return outcome;
    }
    // Lines and columns count in the decoded text (UTF-16 decoded, BOM dropped, bad bytes one
    // character each).
    let text = decode(data, &mut Vec::new());
    let index = LineIndex::new(&text);
    let width = |line: usize| count_columns(&text[index.line_start(line - 1)..index.line_end(&text, line - 1)]).0 + 1;
    for f in &outcome.findings {
        let lines = index.line_count();
        assert!(f.line >= 1 && f.line <= lines, "{lang:?}: line {} of {lines}", f.line);
        assert!(f.end_line >= f.line && f.end_line <= lines, "{lang:?}: end line {} of {lines}", f.end_line);
        assert!(f.column >= 1 && f.column <= width(f.line), "{lang:?}: column {} past line {} ({} wide)", f.column, f.line, width(f.line));
        assert!(f.end_column >= 1 && f.end_column <= width(f.end_line), "{lang:?}: end column {} past line {}", f.end_column, f.end_line);
        assert!(f.end_line > f.line || f.end_column >= f.column, "{lang:?}: ends before it starts: {f:?}");
        assert!(f.utf16_columns.0 >= 1 && f.utf16_columns.1 >= 1, "{lang:?}: UTF-16 columns {:?}", f.utf16_columns);
        let (a, b) = f.snippet_span;
        assert!(a <= b && f.snippet.get(a..b).is_some(), "{lang:?}: snippet span {a}..{b} outside {:?}", f.snippet);
        assert!(!f.snippet.contains('\r'), "{lang:?}: CR in snippet {:?}", f.snippet);
    }
    outcome
}

/// The fuzz entry point: panics are the findings.
pub fn run(lang: Lang, data: &[u8]) {
    check(lang, data);
}
