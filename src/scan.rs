//! The pipeline, end to end: walk -> detect language -> prefilter -> parse -> run queries ->
//! match against the catalog -> findings. The walker threads read and screen each file once
//! (one reused buffer per thread); the files that pass the prefilter are parsed and matched in
//! parallel by rayon workers, each with its own parsers, and every tree is dropped before the
//! next file.

use std::borrow::Cow;
use std::cell::RefCell;
use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::Serialize;

use crate::catalog::Catalog;
use crate::finding::{Confidence, Finding, Replacement};
use crate::fingerprint::line_hashes;
use crate::language::Lang;
use crate::matcher::{Matcher, RawFinding};
use crate::parse::{parse, ParseFailure};
use crate::position::{position, snippet, LineIndex};
use crate::prefilter::Prefilter;
use crate::query::{self, FileFacts};
use crate::tree;
use crate::walk::{io_reason, walk_each, Candidate, Skip, WalkError, WalkItem, WalkOptions};

#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub roots: Vec<PathBuf>,
    pub walk: WalkOptions,
    pub jobs: usize,
    pub max_filesize: u64,
    pub min_confidence: Confidence,
    pub prefilter: bool,
    pub parse_timeout: Duration,
    /// Counts files as they are scanned, for a progress display.
    pub progress: Option<Arc<Progress>>,
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
            progress: None,
        }
    }
}

/// Files done and files to do, updated by the workers as the scan goes.
#[derive(Debug, Default)]
pub struct Progress {
    pub total: AtomicUsize,
    pub done: AtomicUsize,
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

impl Stats {
    fn add(&mut self, other: &Stats) {
        self.files_scanned += other.files_scanned;
        self.files_parsed += other.files_parsed;
        self.files_with_findings += other.files_with_findings;
        self.bytes_scanned += other.bytes_scanned;
        self.below_min_confidence += other.below_min_confidence;
    }
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

/// What scanning one file gives: findings, or the reason it was skipped, and notes.
#[derive(Debug, Default)]
pub struct FileOutcome {
    pub findings: Vec<Finding>,
    /// Why the file was not scanned (binary, too large, unreadable, parse timeout).
    pub skipped: Option<String>,
    /// Notes on a file that was scanned (encoding, NUL bytes, syntax errors).
    pub warnings: Vec<String>,
    /// True when the file got past the prefilter and was parsed.
    pub parsed: bool,
    pub read_bytes: u64,
    /// Findings left out because they are below the minimum confidence.
    pub below: usize,
}

/// The per-file pipeline (sniff -> decode -> prefilter -> parse -> query -> match -> positions),
/// built once per scan and shared by every worker. [`Pipeline::scan_source`] takes a file's bytes,
/// so the fuzz targets and property tests run exactly what a scan runs.
pub struct Pipeline<'c> {
    matcher: Matcher<'c>,
    prefilter: Prefilter,
}

/// Per-file settings of the pipeline.
#[derive(Debug, Clone, Copy)]
pub struct SourceOptions {
    pub min_confidence: Confidence,
    pub prefilter: bool,
    pub parse_timeout: Duration,
}

impl Default for SourceOptions {
    fn default() -> Self {
        let o = ScanOptions::default();
        SourceOptions { min_confidence: o.min_confidence, prefilter: o.prefilter, parse_timeout: o.parse_timeout }
    }
}

impl ScanOptions {
    fn source(&self) -> SourceOptions {
        SourceOptions { min_confidence: self.min_confidence, prefilter: self.prefilter, parse_timeout: self.parse_timeout }
    }
}

/// Scans one file's bytes as `lang` source: the whole per-file pipeline, bytes in, findings out
/// (paths in the findings are empty). Builds the catalog index on every call: to scan many
/// inputs, build one [`Pipeline`].
pub fn scan_source(catalog: &Catalog, lang: Lang, bytes: &[u8], min_confidence: Confidence) -> Vec<Finding> {
    let options = SourceOptions { min_confidence, ..SourceOptions::default() };
    Pipeline::new(catalog).scan_source(lang, "", bytes.to_vec(), &options).findings
}

struct Worker {
    facts: FileFacts,
    raw: Vec<RawFinding>,
}

thread_local! {
    static WORKER: RefCell<Worker> = RefCell::new(Worker { facts: FileFacts::default(), raw: Vec::new() });
}

/// Runs a whole scan. The walker threads read and screen every file (sniff, decode, prefilter)
/// as they find it, reusing one read buffer per thread; only files that pass the prefilter
/// cross over, through a small bounded channel (in batches when the workers are behind), to the
/// rayon workers that parse and match them.
/// Only files with something to report are kept: memory does not grow with the tree.
pub fn scan(catalog: &Catalog, options: &ScanOptions) -> Result<ScanReport, ScanError> {
    let started = Instant::now();
    let pipeline = Pipeline::for_scan(catalog, options.min_confidence);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(options.jobs).build().map_err(|e| ScanError::Threads(e.to_string()))?;
    let walk_skips = Mutex::new(Vec::new());
    let screened = ScreenedTotals::default();
    // Room for a few batches per worker: enough to keep them busy, little memory when the
    // parsers are the bottleneck (full-parse mode).
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<ToParse>>(2 * pool.current_num_threads());
    let (walked, collected) = std::thread::scope(|scope| {
        let walker = scope.spawn(|| {
            let make_sink = || {
                let mut batch = Batch { files: Vec::new(), sender: sender.clone() };
                let (pipeline, screened, walk_skips) = (&pipeline, &screened, &walk_skips);
                move |item: WalkItem| match item {
                    WalkItem::File(candidate) => {
                        if let Some(progress) = &options.progress {
                            progress.total.fetch_add(1, Ordering::Relaxed);
                        }
                        match screen_file(&candidate, pipeline, options) {
                            Screening::Done(outcome) => {
                                screened.add(&candidate, outcome);
                                if let Some(progress) = &options.progress {
                                    progress.done.fetch_add(1, Ordering::Relaxed);
                                }
                            }
                            Screening::Parse(outcome, source) => batch.push(ToParse { candidate, outcome, source }),
                        }
                    }
                    WalkItem::Skip(skip) => walk_skips.lock().unwrap_or_else(|p| p.into_inner()).push(skip),
                }
            };
            let result = walk_each(&options.roots, &options.walk, options.jobs, &make_sink);
            drop(sender);
            result
        });
        let collected = pool.install(|| {
            collect(receiver.into_iter().par_bridge().flat_map_iter(|batch| batch), options, |file: ToParse| {
                let ToParse { candidate, mut outcome, source } = file;
                pipeline.analyze(candidate.lang, &candidate.display, &source, &options.source(), &mut outcome);
                (candidate, outcome)
            })
        });
        (walker.join(), collected)
    });
    match walked {
        Ok(result) => result?,
        Err(panic) => std::panic::resume_unwind(panic),
    }
    let walk_skips = walk_skips.into_inner().unwrap_or_else(|p| p.into_inner());
    let collected = collected.merge(screened.into_collected());
    Ok(finish(collected, walk_skips, options, started))
}

/// A walker thread's files on their way to the parser. A file is handed over at once while the
/// workers keep up (the default scan: few files, parsed while the walk goes on); when they do
/// not (full-parse mode), files wait in the batch and cross in groups, one thread wake-up per
/// group instead of one per file. Whatever is left goes when the walker thread is done.
struct Batch {
    files: Vec<ToParse>,
    sender: std::sync::mpsc::SyncSender<Vec<ToParse>>,
}

/// Files handed over together when the workers are behind.
const BATCH_FILES: usize = 16;

impl Batch {
    fn push(&mut self, file: ToParse) {
        self.files.push(file);
        let files = std::mem::take(&mut self.files);
        if files.len() >= BATCH_FILES {
            // The receiver only goes away when the workers are done: nothing to do then.
            let _ = self.sender.send(files);
            return;
        }
        match self.sender.try_send(files) {
            Ok(()) | Err(std::sync::mpsc::TrySendError::Disconnected(_)) => {}
            Err(std::sync::mpsc::TrySendError::Full(files)) => self.files = files,
        }
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        if !self.files.is_empty() {
            let _ = self.sender.send(std::mem::take(&mut self.files));
        }
    }
}

/// A file that passed the prefilter, on its way to the parser.
struct ToParse {
    candidate: Candidate,
    outcome: FileOutcome,
    source: Vec<u8>,
}

/// Totals of the files the walker threads finished themselves (no trigger, or skipped): plain
/// files only bump two counters, files with notes take a lock.
#[derive(Default)]
struct ScreenedTotals {
    files: AtomicUsize,
    bytes: AtomicU64,
    noted: Mutex<Collected>,
}

impl ScreenedTotals {
    fn add(&self, candidate: &Candidate, outcome: FileOutcome) {
        if outcome.skipped.is_none() && outcome.warnings.is_empty() {
            self.files.fetch_add(1, Ordering::Relaxed);
            self.bytes.fetch_add(outcome.read_bytes, Ordering::Relaxed);
        } else {
            let mut noted = self.noted.lock().unwrap_or_else(|p| p.into_inner());
            *noted = std::mem::take(&mut *noted).add(candidate, outcome);
        }
    }

    fn into_collected(self) -> Collected {
        let mut collected = self.noted.into_inner().unwrap_or_else(|p| p.into_inner());
        collected.stats.files_scanned += self.files.into_inner();
        collected.stats.bytes_scanned += self.bytes.into_inner();
        collected
    }
}

/// Scans files the walk already found (`skipped` holds what the walk could not use). A file that
/// vanished or changed since the walk is reported, never fatal.
pub fn scan_candidates(
    catalog: &Catalog,
    options: &ScanOptions,
    candidates: Vec<Candidate>,
    skipped: Vec<Skip>,
    started: Instant,
) -> Result<ScanReport, ScanError> {
    let pipeline = Pipeline::for_scan(catalog, options.min_confidence);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(options.jobs).build().map_err(|e| ScanError::Threads(e.to_string()))?;
    if let Some(progress) = &options.progress {
        progress.total.store(candidates.len(), Ordering::Relaxed);
    }
    let collected = pool.install(|| {
        collect(candidates.into_par_iter(), options, |candidate: Candidate| {
            let outcome = scan_file(&candidate, &pipeline, options);
            (candidate, outcome)
        })
    });
    Ok(finish(collected, skipped, options, started))
}

/// What the workers keep: totals for every file, details only for files with something to say.
#[derive(Default)]
struct Collected {
    stats: Stats,
    findings: Vec<Finding>,
    skipped: Vec<Skip>,
    warnings: Vec<Skip>,
}

impl Collected {
    fn add(mut self, candidate: &Candidate, outcome: FileOutcome) -> Collected {
        self.warnings.extend(outcome.warnings.into_iter().map(|reason| Skip { path: candidate.display.clone(), reason }));
        if let Some(reason) = outcome.skipped {
            self.skipped.push(Skip { path: candidate.display.clone(), reason });
            return self;
        }
        let file = Stats {
            files_scanned: 1,
            files_parsed: usize::from(outcome.parsed),
            files_with_findings: usize::from(!outcome.findings.is_empty()),
            bytes_scanned: outcome.read_bytes,
            below_min_confidence: outcome.below,
        };
        self.stats.add(&file);
        self.findings.extend(outcome.findings);
        self
    }

    fn merge(mut self, other: Collected) -> Collected {
        self.stats.add(&other.stats);
        self.findings.extend(other.findings);
        self.skipped.extend(other.skipped);
        self.warnings.extend(other.warnings);
        self
    }
}

/// Runs `scan_one` on every item in parallel, counting progress, and folds the outcomes.
fn collect<T: Send>(
    items: impl ParallelIterator<Item = T>,
    options: &ScanOptions,
    scan_one: impl Fn(T) -> (Candidate, FileOutcome) + Sync + Send,
) -> Collected {
    items
        .fold(Collected::default, |acc, item| {
            let (candidate, outcome) = scan_one(item);
            if let Some(progress) = &options.progress {
                progress.done.fetch_add(1, Ordering::Relaxed);
            }
            acc.add(&candidate, outcome)
        })
        .reduce(Collected::default, Collected::merge)
}

/// Sorts everything (workers finish in any order) and applies the tree-wide facts.
fn finish(mut collected: Collected, walk_skips: Vec<Skip>, options: &ScanOptions, started: Instant) -> ScanReport {
    collected.findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    tree::apply_tree_version(&mut collected.findings);
    collected.skipped.extend(walk_skips);
    collected.skipped.sort();
    collected.warnings.sort();
    ScanReport {
        roots: options.roots.iter().map(|r| r.display().to_string()).collect(),
        findings: collected.findings,
        skipped: collected.skipped,
        warnings: collected.warnings,
        stats: collected.stats,
        min_confidence: options.min_confidence,
        elapsed: started.elapsed(),
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ScanError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Walk(#[from] WalkError),
    #[error("cannot start worker threads: {0}")]
    Threads(String),
}

/// `O_NONBLOCK` (0 where its value is not known), so that opening a path that became a FIFO
/// since the walk never waits for a writer.
const O_NONBLOCK: i32 = if cfg!(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
)) {
    0x0004
} else if cfg!(all(
    any(target_os = "linux", target_os = "android"),
    not(any(target_arch = "mips", target_arch = "mips64", target_arch = "sparc", target_arch = "sparc64"))
)) {
    0o4000
} else {
    0
};

const NOT_REGULAR: &str = "not a regular file (FIFO, socket or device)";

/// Reads at most `limit + 1` bytes into `buffer`, so a file that grew past the limit is still
/// caught. The path is checked again at read time: a file that vanished, or was replaced by a
/// FIFO or a device since the walk, gives a reason instead of an error or a blocked worker.
fn read_limited(candidate: &Candidate, limit: u64, buffer: &mut Vec<u8>) -> Result<(), String> {
    let reason = |e: std::io::Error| format!("cannot read: {}", io_reason(&e));
    // Where a non-blocking open is not available, look before opening.
    if O_NONBLOCK == 0 && !std::fs::metadata(&candidate.path).map_err(reason)?.is_file() {
        return Err(NOT_REGULAR.into());
    }
    let mut open = std::fs::OpenOptions::new();
    open.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        open.custom_flags(O_NONBLOCK);
    }
    let file = open.open(&candidate.path).map_err(reason)?;
    let meta = file.metadata().map_err(reason)?;
    if !meta.is_file() {
        return Err(NOT_REGULAR.into());
    }
    if meta.len() > limit {
        return Err(format!("larger than --max-filesize ({} bytes > {limit} bytes)", meta.len()));
    }
    buffer.clear();
    buffer.reserve(meta.len() as usize + 1);
    file.take(limit + 1).read_to_end(buffer).map_err(reason)?;
    Ok(())
}

/// Text to scan: UTF-16 files are decoded, a UTF-8 byte order mark is dropped, and bytes that
/// are not UTF-8 (Latin-1 and other legacy encodings) become one U+FFFD each, so the parser
/// sees valid text and every column counts one character per original byte. Findings' lines and
/// columns count in the text this returns.
pub fn decode<'b>(bytes: &'b [u8], warnings: &mut Vec<String>) -> Cow<'b, [u8]> {
    let utf16 = |le: bool| -> Cow<'b, [u8]> {
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
        Cow::Owned(String::from_utf16_lossy(&units).into_bytes())
    };
    if bytes.starts_with(&[0xFF, 0xFE]) {
        warnings.push("UTF-16 (little endian) text: decoded before scanning".into());
        return utf16(true);
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        warnings.push("UTF-16 (big endian) text: decoded before scanning".into());
        return utf16(false);
    }
    let bom = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) { 3 } else { 0 };
    if bom > 0 {
        warnings.push("UTF-8 byte order mark: removed before scanning (columns count from after it)".into());
    }
    let bytes = &bytes[bom..];
    match std::str::from_utf8(bytes) {
        Ok(_) => Cow::Borrowed(bytes),
        Err(e) => {
            warnings.push(format!(
                "not valid UTF-8 (first bad byte at offset {}; Latin-1 or another legacy encoding?): scanned lossily, one column per undecodable byte",
                bom + e.valid_up_to()
            ));
            let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 4);
            for chunk in bytes.utf8_chunks() {
                out.extend_from_slice(chunk.valid().as_bytes());
                for _ in chunk.invalid() {
                    out.extend_from_slice("\u{FFFD}".as_bytes());
                }
            }
            Cow::Owned(out)
        }
    }
}

/// Why the start of a file marks it as binary: NUL bytes among many control bytes. A few NUL
/// bytes in otherwise plain text only earn a warning, and the file is scanned.
fn binary_reason(bytes: &[u8]) -> Option<String> {
    let window = &bytes[..bytes.len().min(BINARY_SNIFF)];
    let first_nul = memchr_nul(window)?;
    let control = window.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B)).count();
    // Source text has next to no control bytes; executables, images and archives have many.
    (control * 20 > window.len()).then(|| format!("binary file (NUL byte at offset {first_nul})"))
}

/// True when a carriage return is not followed by a line feed.
fn has_lone_cr(text: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', text).any(|i| text.get(i + 1) != Some(&b'\n'))
}

/// The first half of the per-file pipeline, for a file on disk.
enum Screening {
    /// Nothing more to do: skipped, or nothing in it can give a finding.
    Done(FileOutcome),
    /// Passed the prefilter: its decoded text goes to the parser.
    Parse(FileOutcome, Vec<u8>),
}

thread_local! {
    /// One read buffer per thread, reused for every file: no allocation per file.
    static READ_BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Reads `candidate` and screens it (size, binary, encoding, prefilter).
fn screen_file(candidate: &Candidate, pipeline: &Pipeline, options: &ScanOptions) -> Screening {
    let skipped = |reason: String| Screening::Done(FileOutcome { skipped: Some(reason), ..FileOutcome::default() });
    if let Some(size) = candidate.size {
        if size > options.max_filesize {
            return skipped(format!("larger than --max-filesize ({size} bytes > {} bytes)", options.max_filesize));
        }
    }
    READ_BUFFER.with(|buffer| {
        let mut buffer = buffer.borrow_mut();
        if let Err(reason) = read_limited(candidate, options.max_filesize, &mut buffer) {
            return skipped(reason);
        }
        if buffer.len() as u64 > options.max_filesize {
            return skipped(format!("larger than --max-filesize (more than {} bytes)", options.max_filesize));
        }
        let (mut outcome, source) = pipeline.screen(&buffer, &options.source());
        outcome.warnings.splice(0..0, candidate.notes.iter().cloned());
        match source {
            Some(source) => Screening::Parse(outcome, source.into_owned()),
            None => Screening::Done(outcome),
        }
    })
}

/// The whole per-file pipeline for a file on disk.
fn scan_file(candidate: &Candidate, pipeline: &Pipeline, options: &ScanOptions) -> FileOutcome {
    match screen_file(candidate, pipeline, options) {
        Screening::Done(outcome) => outcome,
        Screening::Parse(mut outcome, source) => {
            pipeline.analyze(candidate.lang, &candidate.display, &source, &options.source(), &mut outcome);
            outcome
        }
    }
}

impl<'c> Pipeline<'c> {
    /// A pipeline whose prefilter lets through every file that could give any finding.
    pub fn new(catalog: &'c Catalog) -> Pipeline<'c> {
        Pipeline { matcher: Matcher::new(catalog), prefilter: Prefilter::new(catalog) }
    }

    /// A pipeline for a scan that reports findings at or above `min_confidence`: files that could
    /// only give lower-confidence findings are not parsed.
    pub fn for_scan(catalog: &'c Catalog, min_confidence: Confidence) -> Pipeline<'c> {
        Pipeline { matcher: Matcher::new(catalog), prefilter: Prefilter::for_confidence(catalog, min_confidence) }
    }

    /// Scans one file's bytes as `lang` source; `path` is what the findings show. Never panics
    /// and never fails: what it cannot scan comes back as `skipped`, oddities as `warnings`.
    pub fn scan_source(&self, lang: Lang, path: &str, bytes: Vec<u8>, options: &SourceOptions) -> FileOutcome {
        let (mut outcome, source) = self.screen(&bytes, options);
        if let Some(source) = source {
            self.analyze(lang, path, &source, options, &mut outcome);
        }
        outcome
    }

    /// The cheap first half: binary sniffing, decoding and the prefilter. Gives the text to
    /// parse, or `None` when the file is done (skipped, or nothing in it can give a finding).
    pub fn screen<'b>(&self, bytes: &'b [u8], options: &SourceOptions) -> (FileOutcome, Option<Cow<'b, [u8]>>) {
        let mut outcome = FileOutcome { read_bytes: bytes.len() as u64, ..FileOutcome::default() };
        let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
        if !utf16 {
            if let Some(reason) = binary_reason(bytes) {
                outcome.skipped = Some(reason);
                return (outcome, None);
            }
        }
        let mut source = decode(bytes, &mut outcome.warnings);
        if let Some(at) = memchr_nul(&source) {
            // The parsers read NUL as the end of the input: a space keeps every offset and lets
            // them read on.
            outcome.warnings.push(format!("NUL byte at offset {at} in a text file: read as a space, the file is scanned"));
            source.to_mut().iter_mut().filter(|b| **b == 0).for_each(|b| *b = b' ');
        }
        if has_lone_cr(&source) {
            outcome.warnings.push("lone CR line endings (classic Mac OS): every CR counts as a line break".into());
        }
        if options.prefilter && !self.prefilter.may_match(&source) {
            return (outcome, None);
        }
        (outcome, Some(source))
    }

    /// The costly second half: parse, run the queries, match, resolve positions. Adds the
    /// findings (or the reason the file could not be parsed) to `outcome`.
    pub fn analyze(&self, lang: Lang, path: &str, source: &[u8], options: &SourceOptions, outcome: &mut FileOutcome) {
        let spec = lang.spec();
        let tree = match parse(lang, source, options.parse_timeout) {
            Ok(tree) => tree,
            Err(ParseFailure::TimedOut(limit)) => {
                outcome.skipped = Some(format!(
                    "parse timeout (longer than {} ms; deeply nested or huge code?): not scanned, --parse-timeout-ms raises the bound",
                    limit.as_millis()
                ));
                return;
            }
            Err(ParseFailure::Failed(why)) => {
                outcome.skipped = Some(format!("cannot parse: {why}"));
                return;
            }
        };
        outcome.parsed = true;
        if tree.root_node().has_error() {
            outcome.warnings.push("syntax errors: findings come from the parts that parse".into());
        }
        let compiled = match query::for_language(lang) {
            Ok(compiled) => compiled,
            Err(err) => {
                outcome.skipped = Some(err.to_string());
                return;
            }
        };
        let matcher = &self.matcher;
        WORKER.with(|worker| {
            let mut worker = worker.borrow_mut();
            let Worker { facts, raw } = &mut *worker;
            query::extract(compiled, &tree, source, facts);
            drop(tree);
            raw.clear();
            matcher.match_file(spec, facts, source, raw);
            raw.sort_by_key(|r| (r.bytes, rule_order(r)));
            raw.dedup_by(|a, b| a.bytes == b.bytes && a.rule == b.rule);
            // Positions and fingerprints cost a pass over the file: only for files with a
            // finding to report (look-alike code often has only low-confidence ones).
            if raw.iter().all(|r| r.confidence < options.min_confidence) {
                outcome.below += raw.len();
                return;
            }
            let index = LineIndex::new(source);
            let hashes = line_hashes(&String::from_utf8_lossy(source));
            for r in raw.iter() {
                if r.confidence < options.min_confidence {
                    outcome.below += 1;
                    continue;
                }
                outcome.findings.push(resolve(r, matcher, spec.sdk_language, spec.name, path, source, &index, &hashes));
            }
        });
    }
}

fn rule_order(r: &RawFinding) -> (u8, usize) {
    match r.rule {
        crate::matcher::RuleRef::Operation(i) => (0, i),
        crate::matcher::RuleRef::Envelope(i) => (1, i),
        crate::matcher::RuleRef::Setup(i) => (2, i),
    }
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(0, bytes)
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
    let view = matcher.view_finding(r, sdk_language);
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
