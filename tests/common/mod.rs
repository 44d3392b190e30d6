//! Shared by the integration tests: scanning a tree with the library and reading the `expect:`
//! labels written beside the code (see tests/fixtures/README.md).

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use exavault_migrate::catalog::Catalog;
use exavault_migrate::finding::{Finding, Kind};
use exavault_migrate::scan::{scan, ScanOptions, ScanReport};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn scan_tree(root: &Path, tweak: impl FnOnce(&mut ScanOptions)) -> ScanReport {
    let catalog = Catalog::embedded().expect("embedded catalog loads");
    let mut options = ScanOptions { roots: vec![root.to_path_buf()], ..ScanOptions::default() };
    options.walk.no_ignore = true;
    tweak(&mut options);
    scan(&catalog, &options).expect("scan runs")
}

/// `kind:subject` of a finding, the vocabulary of `expect:` labels.
pub fn label(f: &Finding) -> String {
    let kind = match f.kind {
        Kind::Call => "call",
        Kind::EnvelopeCheck => "envelope",
        Kind::Setup => "setup",
        Kind::WrapperCall => "wrapper_call",
    };
    format!("{kind}:{}", f.subject)
}

/// A label at a line of a file.
pub type Expectation = (String, usize, String);

/// Reads every `expect:` label of the source files under `root` (paths relative to `root`).
pub fn expectations(root: &Path) -> BTreeSet<Expectation> {
    let mut out = BTreeSet::new();
    for entry in walk_files(root) {
        let rel = entry.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        let text = String::from_utf8_lossy(&std::fs::read(&entry).unwrap()).into_owned();
        for (i, line) in text.lines().enumerate() {
            let Some(at) = line.find("expect:") else { continue };
            for label in line[at + "expect:".len()..].split(',') {
                let label = label.trim().trim_end_matches("*/").split_whitespace().next().unwrap_or("").to_string();
                if label.contains(':') {
                    out.insert((rel.clone(), i + 1, label));
                }
            }
        }
    }
    out
}

pub fn walk_files(root: &Path) -> Vec<PathBuf> {
    let mut stack = vec![root.to_path_buf()];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "__pycache__") {
                    stack.push(path);
                }
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("php" | "py" | "js" | "ts" | "tsx" | "mjs")) {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

pub fn found(report: &ScanReport) -> BTreeSet<Expectation> {
    report.findings.iter().map(|f| (f.path.clone(), f.line, label(f))).collect()
}

/// Precision and recall per (language, kind) from expected and found labels.
#[derive(Default, Debug, Clone, Copy)]
pub struct Score {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Score {
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
}

pub fn language_of(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("php") => "php",
        Some("py") => "python",
        Some("ts" | "tsx") => "typescript",
        _ => "javascript",
    }
}

pub fn score(expected: &BTreeSet<Expectation>, found: &BTreeSet<Expectation>) -> BTreeMap<(String, String), Score> {
    let mut scores: BTreeMap<(String, String), Score> = BTreeMap::new();
    let key = |e: &Expectation| (language_of(&e.0).to_string(), e.2.split(':').next().unwrap().to_string());
    for e in expected {
        let s = scores.entry(key(e)).or_default();
        if found.contains(e) {
            s.tp += 1
        } else {
            s.fn_ += 1
        }
    }
    for f in found {
        if !expected.contains(f) {
            scores.entry(key(f)).or_default().fp += 1;
        }
    }
    scores
}

pub fn print_scores(title: &str, scores: &BTreeMap<(String, String), Score>) {
    println!("{title}");
    println!("  {:11} {:9} {:>5} {:>4} {:>4} {:>9} {:>7}", "language", "kind", "tp", "fp", "fn", "precision", "recall");
    for ((lang, kind), s) in scores {
        println!("  {lang:11} {kind:9} {:>5} {:>4} {:>4} {:>8.1}% {:>6.1}%", s.tp, s.fp, s.fn_, 100.0 * s.precision(), 100.0 * s.recall());
    }
}
