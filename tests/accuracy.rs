//! Accuracy on the labelled fixture corpus and on samples/: every `expect:` label must be found,
//! and nothing else. `cargo test --test accuracy -- --nocapture` prints precision and recall per
//! language and kind.

mod common;

use std::collections::BTreeMap;

use common::*;

fn diff_report(expected: &std::collections::BTreeSet<Expectation>, found: &std::collections::BTreeSet<Expectation>) -> String {
    let mut out = String::new();
    for m in expected.difference(found) {
        out.push_str(&format!("  missed:     {}:{} {}\n", m.0, m.1, m.2));
    }
    for m in found.difference(expected) {
        out.push_str(&format!("  unexpected: {}:{} {}\n", m.0, m.1, m.2));
    }
    out
}

fn totals_by_kind(scores: &BTreeMap<(String, String), Score>) -> BTreeMap<String, Score> {
    let mut by_kind: BTreeMap<String, Score> = BTreeMap::new();
    for ((_, kind), s) in scores {
        let t = by_kind.entry(kind.clone()).or_default();
        t.tp += s.tp;
        t.fp += s.fp;
        t.fn_ += s.fn_;
    }
    by_kind
}

fn check_corpus(dir: &str, min_call: f64, min_envelope: f64) {
    let root = repo().join(dir);
    let expected = expectations(&root);
    assert!(!expected.is_empty(), "{dir} has labelled findings");
    let report = scan_tree(&root, |_| {});
    let found = found(&report);
    let scores = score(&expected, &found);
    print_scores(&format!("{dir}: precision and recall at the default confidence"), &scores);
    let by_kind = totals_by_kind(&scores);
    let diff = diff_report(&expected, &found);
    println!("{diff}");
    for (kind, min) in [("call", min_call), ("envelope", min_envelope), ("setup", min_envelope)] {
        if let Some(s) = by_kind.get(kind) {
            assert!(
                s.recall() >= min && s.precision() >= min,
                "{dir}: {kind} precision {:.3} recall {:.3} below {min}\n{diff}",
                s.precision(),
                s.recall()
            );
        }
    }
}

#[test]
fn fixture_corpus_meets_the_accuracy_targets() {
    check_corpus("tests/fixtures", 0.99, 0.95);
}

#[test]
fn samples_are_reported_exactly_as_labelled() {
    check_corpus("samples", 0.99, 0.95);
}

#[test]
fn negative_fixtures_are_clean_at_the_default_confidence() {
    let root = repo().join("tests/fixtures");
    let mut dirty = Vec::new();
    for lang in ["php", "python", "javascript", "typescript"] {
        let dir = root.join(lang).join("negative");
        if !dir.exists() {
            continue;
        }
        let report = scan_tree(&dir, |_| {});
        for f in &report.findings {
            dirty.push(format!("{lang}/negative/{}:{} {} ({})", f.path, f.line, label(f), f.snippet.trim()));
        }
    }
    assert!(dirty.is_empty(), "negatives with findings:\n{}", dirty.join("\n"));
}

#[test]
fn every_positive_fixture_passes_the_prefilter() {
    let catalog = exavault_migrate::catalog::Catalog::embedded().unwrap();
    let prefilter = exavault_migrate::prefilter::Prefilter::for_confidence(&catalog, exavault_migrate::finding::Confidence::Medium);
    let root = repo().join("tests/fixtures");
    let expected = expectations(&root);
    let files: std::collections::BTreeSet<&String> = expected.iter().map(|e| &e.0).collect();
    assert!(!files.is_empty());
    for file in files {
        let bytes = std::fs::read(root.join(file)).unwrap();
        assert!(prefilter.may_match(&bytes), "{file} holds findings but the prefilter would skip it");
    }
}

#[test]
fn prefilter_does_not_change_the_findings() {
    let root = repo().join("tests/fixtures");
    let with = found(&scan_tree(&root, |_| {}));
    let without = found(&scan_tree(&root, |o| o.prefilter = false));
    assert_eq!(with, without);
}
