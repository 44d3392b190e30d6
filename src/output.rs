//! Writing reports: files are written to a temporary sibling and renamed into place, so an
//! interrupted scan never leaves a truncated report; a closed stdout pipe ends quietly.

use std::io::Write;
use std::path::Path;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot write {path}: {source}")]
#[diagnostic(code(output::write), help("check that the folder exists and is writable"))]
pub struct OutputError {
    pub path: String,
    #[source]
    pub source: std::io::Error,
}

/// Writes `contents` to `path` atomically (temporary file in the same folder, then rename).
pub fn write_atomic(path: &Path, contents: &str) -> Result<(), OutputError> {
    let err = |source| OutputError { path: path.display().to_string(), source };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "report".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(contents.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
pub fn write_stdout(contents: &str) -> Result<(), OutputError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(contents.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(source) => Err(OutputError { path: "standard output".into(), source }),
    }
}
