//! Stage 1 of the pipeline: find the files to scan. Walking is .gitignore-aware (the `ignore`
//! crate, as ripgrep does) and never follows symlinks out of the tree; every entry it cannot
//! use is reported with its reason instead of being dropped. The walk never opens a FIFO or a
//! device (a folder whose ignore file is one is skipped, since reading it would block).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::overrides::OverrideBuilder;
use ignore::WalkBuilder;

use crate::language::Lang;

#[derive(Debug, Clone)]
pub struct WalkOptions {
    pub no_ignore: bool,
    pub excludes: Vec<String>,
    pub languages: Vec<Lang>,
    pub follow_links: bool,
}

/// A file to scan, with the path to show for it.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub path: PathBuf,
    pub display: String,
    pub lang: Lang,
    pub size: Option<u64>,
    /// Notes about the path itself (a file name that is not UTF-8), reported as warnings.
    pub notes: Vec<String>,
}

/// Something the walk could not use, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skip {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum WalkError {
    #[error("cannot scan {path}: {reason}")]
    #[diagnostic(code(scan::root), help("check that the path exists and is readable"))]
    BadRoot { path: String, reason: String },
    #[error("invalid --exclude pattern {pattern:?}: {reason}")]
    #[diagnostic(code(scan::exclude))]
    BadExclude { pattern: String, reason: String },
}

/// `/`-separated path of `path` relative to `base`.
pub fn display_path(path: &Path, base: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    let s = rel.to_string_lossy().replace('\\', "/");
    let s = s.trim_start_matches("./").to_string();
    if s.is_empty() {
        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    } else {
        s
    }
}

/// What the walk hands on: a file to scan, or an entry it could not use.
#[derive(Debug, Clone)]
pub enum WalkItem {
    File(Candidate),
    Skip(Skip),
}

/// Collects the files under `roots`, sorted by path.
pub fn walk(roots: &[PathBuf], options: &WalkOptions) -> Result<(Vec<Candidate>, Vec<Skip>), WalkError> {
    let items = Mutex::new((Vec::new(), Vec::new()));
    walk_each(roots, options, 1, &|| {
        |item| {
            let mut items = items.lock().unwrap_or_else(|p| p.into_inner());
            match item {
                WalkItem::File(c) => items.0.push(c),
                WalkItem::Skip(s) => items.1.push(s),
            }
        }
    })?;
    let (mut candidates, skipped) = items.into_inner().unwrap_or_else(|p| p.into_inner());
    candidates.sort_by(|a: &Candidate, b: &Candidate| a.path.cmp(&b.path));
    Ok((candidates, skipped))
}

/// Walks `roots` with `threads` walker threads (0: one per core), handing every file and every
/// unusable entry to a sink as soon as it is found, in no particular order. Each walker thread
/// gets its own sink from `make_sink` (so it can keep per-thread state, dropped when the thread
/// is done). The roots and the exclude globs are checked first: a bad one is an error before
/// anything is handed on.
pub fn walk_each<S: FnMut(WalkItem) + Send>(
    roots: &[PathBuf],
    options: &WalkOptions,
    threads: usize,
    make_sink: &(dyn Fn() -> S + Sync),
) -> Result<(), WalkError> {
    for root in roots {
        std::fs::metadata(root).map_err(|e| WalkError::BadRoot { path: root.display().to_string(), reason: e.to_string() })?;
    }
    let multi = roots.len() > 1;
    for root in roots {
        let meta = std::fs::metadata(root).map_err(|e| WalkError::BadRoot { path: root.display().to_string(), reason: e.to_string() })?;
        // Paths are shown relative to the root; with several roots, relative to where the user
        // stands, so that two roots never produce the same path.
        let base: PathBuf = if multi {
            PathBuf::new()
        } else if meta.is_dir() {
            root.clone()
        } else {
            root.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        if meta.is_dir() {
            std::fs::read_dir(root).map_err(|e| WalkError::BadRoot { path: root.display().to_string(), reason: e.to_string() })?;
        }
        let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
        let canonical_root =
            if meta.is_dir() { canonical_root } else { canonical_root.parent().map(Path::to_path_buf).unwrap_or_default() };
        let standard_filters = !options.no_ignore;
        // The root's own ignore files are read before any filter runs: if one is a FIFO or a
        // device, do not read ignore files at all rather than block.
        let root_blocker = if standard_filters && meta.is_dir() { blocking_ignore_file(root) } else { None };
        if let Some(name) = root_blocker {
            make_sink()(WalkItem::Skip(Skip {
                path: display_path(&root.join(name), &base),
                reason: "not a regular file (FIFO, socket or device): ignore files were not read".into(),
            }));
        }
        let standard_filters = standard_filters && root_blocker.is_none();
        let mut overrides = OverrideBuilder::new(root);
        for pattern in &options.excludes {
            overrides.add(&format!("!{pattern}")).map_err(|e| WalkError::BadExclude { pattern: pattern.clone(), reason: e.to_string() })?;
        }
        let overrides =
            overrides.build().map_err(|e| WalkError::BadExclude { pattern: options.excludes.join(", "), reason: e.to_string() })?;
        // Entries the filter leaves out with a reason (links out of the tree, folders whose ignore
        // files would block); the filter runs inside the walk, so it reports through this list.
        let filtered: Arc<Mutex<Vec<Skip>>> = Arc::default();
        let filter = {
            let filtered = Arc::clone(&filtered);
            let base = base.clone();
            let follow = options.follow_links;
            move |e: &ignore::DirEntry| {
                if e.file_name() == ".git" {
                    return false;
                }
                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                let reason = if follow && e.path_is_symlink() && !inside(e.path(), &canonical_root) {
                    // Left out either way; reported when it is something we would have scanned.
                    if !is_dir && Lang::detect(e.path()).is_none() {
                        return false;
                    }
                    "symbolic link to outside the scanned folder (not followed)".to_string()
                } else if let Some(name) = (standard_filters && is_dir).then(|| blocking_ignore_file(e.path())).flatten() {
                    format!("folder not scanned: its {name} is not a regular file (FIFO, socket or device) and reading it would block")
                } else {
                    return true;
                };
                filtered.lock().unwrap_or_else(|p| p.into_inner()).push(Skip { path: display_path(e.path(), &base), reason });
                false
            }
        };
        let walker = WalkBuilder::new(root)
            .standard_filters(standard_filters)
            .hidden(!options.no_ignore)
            .require_git(false)
            .follow_links(options.follow_links)
            .overrides(overrides)
            .filter_entry(filter)
            .threads(threads)
            .build_parallel();
        walker.run(|| {
            let base = &base;
            let mut sink = make_sink();
            Box::new(move |entry| {
                if let Some(item) = classify(entry, root, base, options) {
                    sink(item);
                }
                ignore::WalkState::Continue
            })
        });
        let mut sink = make_sink();
        for skip in filtered.lock().unwrap_or_else(|p| p.into_inner()).drain(..) {
            sink(WalkItem::Skip(skip));
        }
    }
    Ok(())
}

/// What one walk entry is for the scan: a file, a skip with its reason, or nothing (folders,
/// files of other languages).
fn classify(entry: Result<ignore::DirEntry, ignore::Error>, root: &Path, base: &Path, options: &WalkOptions) -> Option<WalkItem> {
    let skip = |path: String, reason: String| Some(WalkItem::Skip(Skip { path, reason }));
    let entry = match entry {
        Ok(entry) => entry,
        Err(err) => {
            let (path, reason) = describe_walk_error(&err);
            return skip(path.map(|p| display_path(&p, base)).unwrap_or_else(|| root.display().to_string()), reason);
        }
    };
    let file_type = entry.file_type()?;
    if let Some(err) = entry.error() {
        // An ignore file that could not be read: the walk goes on without its rules.
        let (path, reason) = describe_walk_error(err);
        let path = path.unwrap_or_else(|| entry.path().to_path_buf());
        return skip(display_path(&path, base), format!("ignore file not applied: {reason}"));
    }
    if file_type.is_dir() {
        return None;
    }
    let path = entry.path();
    let Some(lang) = Lang::detect(path) else {
        if file_type.is_symlink() && std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
            let reason = "symbolic link to a folder (not followed; --follow scans inside the tree)".into();
            return skip(display_path(path, base), reason);
        }
        return None;
    };
    if !options.languages.is_empty() && !options.languages.iter().any(|l| l.name() == lang.name()) {
        return None;
    }
    let display = display_path(path, base);
    if file_type.is_symlink() {
        // Links are followed only with --follow; a link to a file inside the tree is scanned there.
        let reason = match std::fs::metadata(path) {
            Err(_) => "broken symbolic link (its target does not exist)",
            Ok(_) => "symbolic link (not followed; --follow scans links inside the tree)",
        };
        return skip(display, reason.into());
    }
    if !file_type.is_file() {
        return skip(display, "not a regular file (FIFO, socket or device)".into());
    }
    // The size is read when the file is opened: one stat call fewer per file.
    let size = None;
    let mut notes = Vec::new();
    if path.strip_prefix(base).unwrap_or(path).to_str().is_none() {
        notes.push("file name is not valid UTF-8: shown with U+FFFD in place of the bad bytes".into());
    }
    Some(WalkItem::File(Candidate { path: path.to_path_buf(), display, lang, size, notes }))
}

/// True when `path` (a symbolic link) resolves inside `root` (canonical). A broken link resolves
/// nowhere: it is not followed either.
fn inside(path: &Path, root: &Path) -> bool {
    std::fs::canonicalize(path).is_ok_and(|target| target.starts_with(root))
}

/// The ignore file of `dir` that exists but is not a regular file: reading a FIFO blocks, and a
/// device never ends.
fn blocking_ignore_file(dir: &Path) -> Option<&'static str> {
    [".gitignore", ".ignore", ".git", ".git/info/exclude"]
        .into_iter()
        .find(|name| std::fs::metadata(dir.join(name)).is_ok_and(|m| !(m.is_file() || (m.is_dir() && *name == ".git"))))
}

fn describe_walk_error(err: &ignore::Error) -> (Option<PathBuf>, String) {
    match err {
        ignore::Error::WithPath { path, err } => {
            let dangling = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) && std::fs::metadata(path).is_err();
            let reason = if dangling { "broken symbolic link (its target does not exist)".into() } else { describe_walk_error(err).1 };
            (Some(path.clone()), reason)
        }
        ignore::Error::WithDepth { err, .. } => describe_walk_error(err),
        ignore::Error::WithLineNumber { err, .. } => describe_walk_error(err),
        ignore::Error::Loop { child, ancestor } => (Some(child.clone()), format!("symbolic link loop (back to {})", ancestor.display())),
        ignore::Error::Io(e) => (None, io_reason(e)),
        other => (None, other.to_string()),
    }
}

/// A short, user-facing reason for an I/O error.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "vanished before it could be read".into(),
        _ => e.to_string(),
    }
}
