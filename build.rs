//! Embeds every `queries/<language>/*.scm` file, so a new query file needs no code change.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=queries");
    let mut out = String::from(
        "/// `(language, file name, query source)` for every file under `queries/`.\npub static QUERY_FILES: &[(&str, &str, &str)] = &[\n",
    );
    let root = Path::new("queries");
    let mut dirs: Vec<_> =
        std::fs::read_dir(root).expect("queries/ exists").filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    for dir in dirs {
        println!("cargo:rerun-if-changed={}", dir.display());
        let language = dir.file_name().unwrap().to_string_lossy().to_string();
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "scm"))
            .collect();
        files.sort();
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let abs = std::fs::canonicalize(&file).unwrap();
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            writeln!(out, "    ({language:?}, {name:?}, include_str!({:?})),", abs.display().to_string()).unwrap();
        }
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("query_files.rs");
    std::fs::write(dest, out).unwrap();
}
