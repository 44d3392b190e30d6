//! parse-only: the tree-sitter floor for a full-parse scan.
//!
//!     parse-only [--jobs N] ROOT
//!
//! Walks ROOT with the `ignore` crate (same filters as exavault-migrate: .gitignore-aware, hidden
//! files skipped, sorted), keeps PHP/Python/JavaScript files by extension, then on N rayon threads
//! (default 2) reads each file and parses it with a per-thread parser. Nothing else: no queries,
//! no matching, no report. Prints files, bytes, parse errors and wall time on stderr.

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use tree_sitter::{Language, Parser};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    Php,
    Python,
    JavaScript,
}

fn detect(path: &std::path::Path) -> Option<Lang> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "php" | "phtml" | "inc" => Some(Lang::Php),
        "py" | "pyw" | "pyi" => Some(Lang::Python),
        "js" | "mjs" | "cjs" | "jsx" => Some(Lang::JavaScript),
        _ => None,
    }
}

fn grammar(lang: Lang) -> Language {
    match lang {
        Lang::Php => tree_sitter_php::LANGUAGE_PHP.into(),
        Lang::Python => tree_sitter_python::LANGUAGE.into(),
        Lang::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
    }
}

thread_local! {
    static PARSERS: RefCell<Vec<(Lang, Parser)>> = const { RefCell::new(Vec::new()) };
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut jobs = 2usize;
    let mut root: Option<PathBuf> = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--jobs" | "-j" => jobs = args.next().and_then(|v| v.parse().ok()).expect("--jobs N"),
            _ => root = Some(PathBuf::from(arg)),
        }
    }
    let root = root.expect("usage: parse-only [--jobs N] ROOT");
    let started = Instant::now();

    let mut files: Vec<(PathBuf, Lang)> = Vec::new();
    let walker = ignore::WalkBuilder::new(&root).require_git(false).sort_by_file_path(|a, b| a.cmp(b)).build();
    for entry in walker.flatten() {
        if entry.file_type().is_some_and(|t| t.is_file()) {
            if let Some(lang) = detect(entry.path()) {
                files.push((entry.into_path(), lang));
            }
        }
    }

    let bytes = AtomicU64::new(0);
    let errors = AtomicUsize::new(0);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().expect("thread pool");
    pool.install(|| {
        files.par_iter().for_each(|(path, lang)| {
            let Ok(source) = std::fs::read(path) else { return };
            bytes.fetch_add(source.len() as u64, Ordering::Relaxed);
            PARSERS.with(|parsers| {
                let mut parsers = parsers.borrow_mut();
                let at = match parsers.iter().position(|(l, _)| l == lang) {
                    Some(at) => at,
                    None => {
                        let mut parser = Parser::new();
                        parser.set_language(&grammar(*lang)).expect("grammar");
                        parsers.push((*lang, parser));
                        parsers.len() - 1
                    }
                };
                let tree = parsers[at].1.parse(&source, None).expect("parse");
                if tree.root_node().has_error() {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
            });
        })
    });
    eprintln!(
        "parse-only: {} files, {} bytes, {} with syntax errors, {} threads, {:.3} s",
        files.len(),
        bytes.load(Ordering::Relaxed),
        errors.load(Ordering::Relaxed),
        jobs,
        started.elapsed().as_secs_f64()
    );
}
