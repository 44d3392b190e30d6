//! Stage 1 of the pipeline: find the files to scan. Walking is .gitignore-aware (the `ignore`
//! crate, as ripgrep does) and never follows symlinks out of the tree; every entry it cannot
//! use is reported with its reason instead of being dropped.

use std::path::{Path, PathBuf};

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

/// Collects the files under `roots` in a stable order.
pub fn walk(roots: &[PathBuf], options: &WalkOptions) -> Result<(Vec<Candidate>, Vec<Skip>), WalkError> {
    let mut candidates = Vec::new();
    let mut skipped = Vec::new();
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
        let mut overrides = OverrideBuilder::new(root);
        for pattern in &options.excludes {
            overrides.add(&format!("!{pattern}")).map_err(|e| WalkError::BadExclude { pattern: pattern.clone(), reason: e.to_string() })?;
        }
        let overrides =
            overrides.build().map_err(|e| WalkError::BadExclude { pattern: options.excludes.join(", "), reason: e.to_string() })?;
        let walker = WalkBuilder::new(root)
            .standard_filters(!options.no_ignore)
            .hidden(!options.no_ignore)
            .require_git(false)
            .follow_links(options.follow_links)
            .overrides(overrides)
            .filter_entry(|e| e.file_name() != ".git")
            .sort_by_file_path(|a, b| a.cmp(b))
            .build();
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    let (path, reason) = describe_walk_error(&err);
                    skipped
                        .push(Skip { path: path.map(|p| display_path(&p, &base)).unwrap_or_else(|| root.display().to_string()), reason });
                    continue;
                }
            };
            let Some(file_type) = entry.file_type() else {
                continue;
            };
            if file_type.is_dir() {
                continue;
            }
            let path = entry.path();
            let Some(lang) = Lang::detect(path) else {
                continue;
            };
            if !options.languages.is_empty() && !options.languages.iter().any(|l| l.name() == lang.name()) {
                continue;
            }
            let display = display_path(path, &base);
            if file_type.is_symlink() {
                // Links are followed only with --follow; a link to a file inside the tree is scanned there.
                skipped.push(Skip { path: display, reason: "symbolic link (not followed)".into() });
                continue;
            }
            if !file_type.is_file() {
                skipped.push(Skip { path: display, reason: "not a regular file (FIFO, socket or device)".into() });
                continue;
            }
            let size = entry.metadata().ok().map(|m| m.len());
            candidates.push(Candidate { path: path.to_path_buf(), display, lang, size });
        }
    }
    Ok((candidates, skipped))
}

fn describe_walk_error(err: &ignore::Error) -> (Option<PathBuf>, String) {
    match err {
        ignore::Error::WithPath { path, err } => (Some(path.clone()), describe_walk_error(err).1),
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
