//! The pipeline, end to end: walk -> detect language -> prefilter -> parse -> run queries ->
//! match against the catalog -> findings. Files are scanned in parallel (rayon); each worker
//! keeps its own parser and query cursor, reads each file once and drops its tree before the
//! next file.

use std::cell::RefCell;
use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;
use tree_sitter::QueryCursor;

use crate::catalog::Catalog;
use crate::finding::{Confidence, Finding, Replacement};
use crate::fingerprint::line_hashes;
use crate::matcher::{Matcher, RawFinding};
use crate::parse::{parse, ParseFailure};
use crate::position::{position, snippet, LineIndex};
use crate::prefilter::Prefilter;
use crate::query::{self, FileFacts};
use crate::walk::{io_reason, walk, Candidate, Skip, WalkError, WalkOptions};

#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub roots: Vec<PathBuf>,
    pub walk: WalkOptions,
    pub jobs: usize,
    pub max_filesize: u64,
    pub min_confidence: Confidence,
    pub prefilter: bool,
    pub parse_timeout: Duration,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            roots: vec![PathBuf::from(".")],
            walk: WalkOptions { no_ignore: false, excludes: vec![], languages: vec![], follow_links: false },
            jobs: 0,
            max_filesize: DEFAULT_MAX_FILESIZE,
            min_confidence: Confidence::Medium,
            prefilter: true,
            parse_timeout: Duration::from_secs(10),
        }
    }
}

/// Hand-written source files are far below this; larger files are generated or minified.
pub const DEFAULT_MAX_FILESIZE: u64 = 4 * 1024 * 1024;
/// A NUL byte this early marks a binary file.
const BINARY_SNIFF: usize = 8 * 1024;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// Files of a supported language that were read.
    pub files_scanned: usize,
    /// Files the prefilter let through to the parser.
    pub files_parsed: usize,
    pub files_with_findings: usize,
    pub bytes_scanned: u64,
    /// Findings left out because they are below `--min-confidence`.
    pub below_min_confidence: usize,
}

/// Everything a reporter needs: a pure value, built once per scan.
#[derive(Debug, Clone)]
pub struct ScanReport {
    pub roots: Vec<String>,
    pub findings: Vec<Finding>,
    pub skipped: Vec<Skip>,
    pub warnings: Vec<Skip>,
    pub stats: Stats,
    pub min_confidence: Confidence,
    pub elapsed: Duration,
}

#[derive(Default)]
struct FileOutcome {
    findings: Vec<Finding>,
    skipped: Option<String>,
    warnings: Vec<String>,
    parsed: bool,
    read_bytes: u64,
    below: usize,
}

struct Worker {
    cursor: QueryCursor,
    facts: FileFacts,
    raw: Vec<RawFinding>,
}

thread_local! {
    static WORKER: RefCell<Worker> = RefCell::new(Worker { cursor: QueryCursor::new(), facts: FileFacts::default(), raw: Vec::new() });
}

/// Runs a whole scan.
pub fn scan(catalog: &Catalog, options: &ScanOptions) -> Result<ScanReport, ScanError> {
    let started = Instant::now();
    query::check_all()?;
    let (candidates, mut skipped) = walk(&options.roots, &options.walk)?;
    let matcher = Matcher::new(catalog);
    let prefilter = Prefilter::new(catalog);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(options.jobs).build().map_err(|e| ScanError::Threads(e.to_string()))?;
    let outcomes: Vec<FileOutcome> = pool.install(|| candidates.par_iter().map(|c| scan_file(c, &matcher, &prefilter, options)).collect());

    let mut stats = Stats::default();
    let mut findings = Vec::new();
    let mut warnings = Vec::new();
    for (candidate, outcome) in candidates.iter().zip(outcomes) {
        if let Some(reason) = outcome.skipped {
            skipped.push(Skip { path: candidate.display.clone(), reason });
            continue;
        }
        stats.files_scanned += 1;
        stats.bytes_scanned += outcome.read_bytes;
        stats.files_parsed += usize::from(outcome.parsed);
        stats.files_with_findings += usize::from(!outcome.findings.is_empty());
        stats.below_min_confidence += outcome.below;
        findings.extend(outcome.findings);
        warnings.extend(outcome.warnings.into_iter().map(|reason| Skip { path: candidate.display.clone(), reason }));
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    skipped.sort();
    warnings.sort();
    Ok(ScanReport {
        roots: options.roots.iter().map(|r| r.display().to_string()).collect(),
        findings,
        skipped,
        warnings,
        stats,
        min_confidence: options.min_confidence,
        elapsed: started.elapsed(),
    })
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ScanError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Walk(#[from] WalkError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Query(#[from] query::QueryError),
    #[error("cannot start worker threads: {0}")]
    Threads(String),
}

/// Reads at most `limit + 1` bytes, so a file that grew past the limit is still caught.
fn read_limited(candidate: &Candidate, limit: u64) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(&candidate.path)?;
    let mut bytes = Vec::with_capacity(candidate.size.unwrap_or(0).min(limit) as usize + 1);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Text to scan: UTF-16 files are decoded, a UTF-8 byte order mark is dropped.
fn decode(bytes: Vec<u8>, warnings: &mut Vec<String>) -> Vec<u8> {
    let utf16 = |le: bool| -> Vec<u8> {
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| {
                if c.len() == 2 {
                    if le {
                        u16::from_le_bytes([c[0], c[1]])
                    } else {
                        u16::from_be_bytes([c[0], c[1]])
                    }
                } else {
                    0xFFFD
                }
            })
            .collect();
        String::from_utf16_lossy(&units).into_bytes()
    };
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return bytes[3..].to_vec();
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        warnings.push("UTF-16 (little endian) text: decoded before scanning".into());
        return utf16(true);
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        warnings.push("UTF-16 (big endian) text: decoded before scanning".into());
        return utf16(false);
    }
    bytes
}

fn scan_file(candidate: &Candidate, matcher: &Matcher, prefilter: &Prefilter, options: &ScanOptions) -> FileOutcome {
    let mut outcome = FileOutcome::default();
    if let Some(size) = candidate.size {
        if size > options.max_filesize {
            outcome.skipped = Some(format!("larger than --max-filesize ({size} bytes > {} bytes)", options.max_filesize));
            return outcome;
        }
    }
    let bytes = match read_limited(candidate, options.max_filesize) {
        Ok(bytes) => bytes,
        Err(e) => {
            outcome.skipped = Some(format!("cannot read: {}", io_reason(&e)));
            return outcome;
        }
    };
    if bytes.len() as u64 > options.max_filesize {
        outcome.skipped = Some(format!("larger than --max-filesize (more than {} bytes)", options.max_filesize));
        return outcome;
    }
    outcome.read_bytes = bytes.len() as u64;
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if !utf16 {
        if let Some(at) = memchr_nul(&bytes[..bytes.len().min(BINARY_SNIFF)]) {
            outcome.skipped = Some(format!("binary file (NUL byte at offset {at})"));
            return outcome;
        }
    }
    let source = decode(bytes, &mut outcome.warnings);
    if options.prefilter && !prefilter.may_match(&source) {
        return outcome;
    }
    if let Some(at) = memchr_nul(&source) {
        outcome.warnings.push(format!("NUL byte at offset {at}; scanned as text"));
    }
    if std::str::from_utf8(&source).is_err() {
        outcome.warnings.push("not valid UTF-8 (Latin-1 or another legacy encoding?): scanned byte for byte".into());
    }
    let spec = candidate.lang.spec();
    let tree = match parse(candidate.lang, &source, options.parse_timeout) {
        Ok(tree) => tree,
        Err(ParseFailure::TimedOut(limit)) => {
            outcome.skipped = Some(format!("parsing took longer than {} s (pathological nesting or size?)", limit.as_secs_f32()));
            return outcome;
        }
        Err(ParseFailure::Failed(why)) => {
            outcome.skipped = Some(format!("cannot parse: {why}"));
            return outcome;
        }
    };
    outcome.parsed = true;
    if tree.root_node().has_error() {
        outcome.warnings.push("syntax errors: findings come from the parts that parse".into());
    }
    let Ok(compiled) = query::for_language(candidate.lang) else {
        return outcome; // checked before the scan started
    };
    WORKER.with(|worker| {
        let mut worker = worker.borrow_mut();
        let Worker { cursor, facts, raw } = &mut *worker;
        query::extract(compiled, spec, &tree, &source, cursor, facts);
        drop(tree);
        raw.clear();
        matcher.match_file(spec, facts, &source, raw);
        if raw.is_empty() {
            return;
        }
        raw.sort_by_key(|r| (r.bytes, rule_order(r)));
        raw.dedup_by(|a, b| a.bytes == b.bytes && a.rule == b.rule);
        let index = LineIndex::new(&source);
        let hashes = line_hashes(&String::from_utf8_lossy(&source));
        for r in raw.iter() {
            if r.confidence < options.min_confidence {
                outcome.below += 1;
                continue;
            }
            outcome.findings.push(resolve(r, matcher, spec.sdk_language, spec.name, &candidate.display, &source, &index, &hashes));
        }
    });
    outcome
}

fn rule_order(r: &RawFinding) -> (u8, usize) {
    match r.rule {
        crate::matcher::RuleRef::Operation(i) => (0, i),
        crate::matcher::RuleRef::Envelope(i) => (1, i),
        crate::matcher::RuleRef::Setup(i) => (2, i),
    }
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

#[allow(clippy::too_many_arguments)]
fn resolve(
    r: &RawFinding,
    matcher: &Matcher,
    sdk_language: &str,
    language: &'static str,
    path: &str,
    source: &[u8],
    index: &LineIndex,
    hashes: &[String],
) -> Finding {
    let view = matcher.view(r.rule, sdk_language);
    let start = position(source, index, r.bytes.0);
    let end = position(source, index, r.bytes.1);
    let (snippet, snippet_span) = snippet(source, index, r.bytes.0, r.bytes.1);
    Finding {
        rule_id: view.id.to_string(),
        rule_name: view.name.to_string(),
        kind: view.kind,
        operation: view.operation.map(str::to_string),
        subject: view.subject.to_string(),
        path: path.to_string(),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        language,
        api_version: r.api_version,
        confidence: r.confidence,
        evidence: r.evidence.clone(),
        snippet,
        message: view.message,
        effort: view.effort.clone(),
        category: view.category,
        replacement: Replacement { rest: view.rest, sdk: view.sdk.to_string(), docs_url: view.docs_url.to_string() },
        fingerprint: hashes.get(start.line - 1).cloned().unwrap_or_default(),
        utf16_columns: (start.utf16_column, end.utf16_column),
        snippet_span,
    }
}
