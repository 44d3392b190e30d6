//! Hostile input, end to end: each test builds a hostile tree in a temporary folder, runs the
//! binary on it with `--format json` and checks that the scan goes on, that the odd file gets a
//! clear note in `skipped[]` or `warnings[]`, and that calls elsewhere are still found.
//! `cargo test --test hostile -- --nocapture` prints timings and every test that could not
//! check its case on this machine (and why).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Running the binary

const BIN: &str = env!("CARGO_BIN_EXE_exavault-migrate");
/// A scan that takes longer than this has blocked (on a FIFO, a device...): the test fails.
const WATCHDOG: Duration = Duration::from_secs(180);

struct Run {
    status: ExitStatus,
    stdout: Vec<u8>,
    stderr: String,
    elapsed: Duration,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.stdout)
            .unwrap_or_else(|e| panic!("JSON on stdout: {e}\nstderr: {}\nstdout: {}", self.stderr, String::from_utf8_lossy(&self.stdout)))
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

/// Runs `program args` in `dir`, with output captured in files (no pipe can fill up) and a
/// watchdog that kills the child and fails the test if it blocks.
fn run_program(program: &str, pre: &[&str], args: &[&str], dir: &Path) -> Run {
    let out_dir = tempfile::tempdir().unwrap();
    let (out_path, err_path) = (out_dir.path().join("stdout"), out_dir.path().join("stderr"));
    let started = Instant::now();
    let mut child = Command::new(program)
        .args(pre)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out_path).unwrap())
        .stderr(fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("binary starts");
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > WATCHDOG {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`{program} {pre:?} {args:?}` still running after {WATCHDOG:?}: blocked?");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        status,
        stdout: fs::read(&out_path).unwrap(),
        stderr: String::from_utf8_lossy(&fs::read(&err_path).unwrap()).into_owned(),
        elapsed: started.elapsed(),
    }
}

fn run(args: &[&str], dir: &Path) -> Run {
    run_program(BIN, &[], args, dir)
}

/// `scan . --format json` plus `extra`, expecting a report (exit 0 or 1).
fn scan_json(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["scan", ".", "--format", "json"];
    args.extend_from_slice(extra);
    let out = run(&args, dir);
    assert!(matches!(out.status.code(), Some(0 | 1)), "exit {:?}: {}", out.status.code(), out.stderr);
    out.json()
}

// ---------------------------------------------------------------------------------------------
// Reading the report

fn skip_reason(v: &Value, path: &str) -> Option<String> {
    v["skipped"].as_array().unwrap().iter().find(|s| s["path"] == path).map(|s| s["reason"].as_str().unwrap().to_string())
}

fn warnings(v: &Value, path: &str) -> Vec<String> {
    v["warnings"].as_array().unwrap().iter().filter(|s| s["path"] == path).map(|s| s["message"].as_str().unwrap().to_string()).collect()
}

fn has_warning(v: &Value, path: &str, needle: &str) -> bool {
    warnings(v, path).iter().any(|w| w.contains(needle))
}

/// `(line, column)` of every call of `operation` found in `path`.
fn calls(v: &Value, path: &str, operation: &str) -> Vec<(u64, u64)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == path && f["operation"] == operation)
        .map(|f| (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()))
        .collect()
}

fn expect_skipped(v: &Value, path: &str, needle: &str) {
    let reason = skip_reason(v, path).unwrap_or_else(|| panic!("{path} not in skipped[]: {:#}", v["skipped"]));
    assert!(reason.contains(needle), "{path}: reason {reason:?} does not say {needle:?}");
}

// ---------------------------------------------------------------------------------------------
// Source that the scanner must report, per language

struct Sample {
    ext: &'static str,
    /// Lines that make the file ExaVault v1.x code (SDK import and client).
    prologue: &'static str,
    /// A statement holding one v1.x call, on a line of its own.
    call: &'static str,
    operation: &'static str,
    /// Wraps an expression into a statement.
    statement: fn(&str) -> String,
}

const SAMPLES: [Sample; 4] = [
    Sample {
        ext: "php",
        prologue: "<?php\nrequire_once 'V1Api.php';\n$api = new V1Api(new APIClient(getenv('EV_KEY'), 'https://api.exavault.com'));\n",
        call: "$list = $api->getResourceList($token, '/', 'sort_files_name', 'asc', 0, 50);",
        operation: "getResourceList",
        statement: |e| format!("$x = {e};"),
    },
    Sample {
        ext: "py",
        prologue: "import V1Api\n\napi = V1Api.V1Api(client)\n",
        call: "listing = api.getResourceList(token, '/outgoing')",
        operation: "getResourceList",
        statement: |e| format!("x = {e}"),
    },
    Sample {
        ext: "js",
        prologue: "const ExaVaultApi = require('exa_vault_api');\nconst userApi = new ExaVaultApi.UserApi();\n",
        call: "userApi.getUsers(API_KEY, token, 'sort_users_username', {}, cb);",
        operation: "getUsers",
        statement: |e| format!("const x = {e};"),
    },
    Sample {
        ext: "ts",
        prologue: "import * as ExaVaultApi from 'exa_vault_api';\nconst userApi = new ExaVaultApi.UserApi();\n",
        call: "userApi.getUsers(API_KEY, token, 'sort_users_username', {}, cb);",
        operation: "getUsers",
        statement: |e| format!("const x = {e};"),
    },
];

impl Sample {
    /// Prologue, then `middle`, then the call; returns the text and the call's line.
    fn file(&self, middle: &str) -> (String, u64) {
        let text = format!("{}{middle}\n{}\n", self.prologue, self.call);
        let line = text.lines().count() as u64;
        (text, line)
    }
    /// Column of the operation name in the call line (1-based, characters).
    fn call_column(&self) -> u64 {
        self.call.find(self.operation).unwrap() as u64 + 1
    }
    fn name(&self, stem: &str) -> String {
        format!("{stem}.{}", self.ext)
    }
}

fn write(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(&path, bytes).unwrap();
    path
}

/// A file of clean ExaVault code beside the hostile ones: the scan must go on and find it.
fn control_file(dir: &Path) {
    let (text, _) = SAMPLES[0].file("");
    write(dir, "ok/control.php", text);
}

fn expect_control_found(v: &Value) {
    let s = &SAMPLES[0];
    assert_eq!(calls(v, "ok/control.php", s.operation), vec![(s.file("").1, s.call_column())], "the scan went on past the hostile files");
}

/// Prints why a test could not check its case here, so that a skip is never a silent pass.
fn skip_test(test: &str, why: &str) {
    println!("SKIPPED {test}: {why}");
    eprintln!("SKIPPED {test}: {why}");
}

fn effective_uid() -> Option<u32> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

// ---------------------------------------------------------------------------------------------
// Binary files and NUL bytes

#[test]
fn binary_files_with_a_source_extension_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    control_file(dir.path());
    // A PNG header and compressed-looking data, saved as JavaScript.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0".to_vec();
    png.extend((0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8));
    write(dir.path(), "logo.js", &png);
    // An executable-like file with a call name inside, saved as PHP.
    let mut elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".to_vec();
    elf.extend(std::iter::repeat_n(0u8, 200));
    elf.extend_from_slice(b"getResourceList exavault");
    write(dir.path(), "lib.php", &elf);
    let v = scan_json(dir.path(), &[]);
    expect_skipped(&v, "logo.js", "binary file");
    expect_skipped(&v, "lib.php", "binary file (NUL byte at offset 7)");
    assert!(calls(&v, "lib.php", "getResourceList").is_empty());
    expect_control_found(&v);
}

#[test]
fn nul_bytes_inside_a_text_file_give_a_warning_and_the_file_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    for s in &SAMPLES {
        // A stray NUL early in the file (inside the binary sniff window) and one in a comment.
        let comment = if s.ext == "py" { "# odd \0 byte" } else { "// odd \0 byte" };
        let (text, line) = s.file(comment);
        let text = text.replacen('\n', "\n\0\n", 1);
        write(dir.path(), &s.name("nul"), &text);
        let v = scan_json(dir.path(), &[]);
        let name = s.name("nul");
        assert_eq!(skip_reason(&v, &name), None, "{name} is text with a NUL, not binary");
        assert!(has_warning(&v, &name, "NUL byte at offset"), "{name}: {:?}", warnings(&v, &name));
        // The parsers read NUL as the end of input; the scanner hands them a space instead.
        assert!(!has_warning(&v, &name, "syntax errors"), "{name}: {:?}", warnings(&v, &name));
        assert_eq!(calls(&v, &name, s.operation), vec![(line + 1, s.call_column())], "{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// Encodings and line endings

#[test]
fn latin1_and_invalid_utf8_are_scanned_lossily_with_columns_in_characters() {
    let dir = tempfile::tempdir().unwrap();
    for s in &SAMPLES {
        // Latin-1 "café déjà" in a comment, and on the call's own line before the call.
        let comment: &[u8] = if s.ext == "py" { b"# caf\xe9 d\xe9j\xe0 \x80\xff" } else { b"/* caf\xe9 d\xe9j\xe0 \x80\xff */" };
        let lead: &[u8] = if s.ext == "py" { b"" } else { b"/*\xe9\xe9\xe9*/ " };
        let mut bytes = s.prologue.as_bytes().to_vec();
        bytes.extend_from_slice(comment);
        bytes.push(b'\n');
        bytes.extend_from_slice(lead);
        bytes.extend_from_slice(s.call.as_bytes());
        bytes.push(b'\n');
        let line = s.prologue.lines().count() as u64 + 2;
        write(dir.path(), &s.name("latin1"), &bytes);
        let v = scan_json(dir.path(), &[]);
        let name = s.name("latin1");
        assert!(has_warning(&v, &name, "not valid UTF-8"), "{name}: {:?}", warnings(&v, &name));
        // One column per byte of the legacy encoding: what an editor in Latin-1 shows.
        assert_eq!(calls(&v, &name, s.operation), vec![(line, lead.len() as u64 + s.call_column())], "{name}");
    }
}

fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut out = if little_endian { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
    for unit in text.encode_utf16() {
        out.extend_from_slice(&if little_endian { unit.to_le_bytes() } else { unit.to_be_bytes() });
    }
    out
}

#[test]
fn byte_order_marks_are_read_and_noted() {
    let dir = tempfile::tempdir().unwrap();
    for s in &SAMPLES {
        let (text, line) =
            s.file(if s.ext == "py" { "# é 😀 non-ASCII before the call" } else { "// é 😀 non-ASCII before the call" });
        let mut bom8 = vec![0xEF, 0xBB, 0xBF];
        bom8.extend_from_slice(text.as_bytes());
        write(dir.path(), &s.name("bom8"), bom8);
        write(dir.path(), &s.name("utf16le"), utf16(&text, true));
        write(dir.path(), &s.name("utf16be"), utf16(&text, false));
        let v = scan_json(dir.path(), &[]);
        for (stem, note) in [("bom8", "UTF-8 byte order mark"), ("utf16le", "UTF-16 (little endian)"), ("utf16be", "UTF-16 (big endian)")] {
            let name = s.name(stem);
            assert_eq!(skip_reason(&v, &name), None, "{name} is text, not binary");
            assert!(has_warning(&v, &name, note), "{name}: {:?}", warnings(&v, &name));
            assert_eq!(calls(&v, &name, s.operation), vec![(line, s.call_column())], "{name}");
        }
    }
}

#[test]
fn crlf_and_lone_cr_line_endings_count_lines_like_an_editor() {
    let dir = tempfile::tempdir().unwrap();
    for s in &SAMPLES {
        let (text, _) = s.file("");
        write(dir.path(), &s.name("lf"), &text);
        write(dir.path(), &s.name("crlf"), text.replace('\n', "\r\n"));
        write(dir.path(), &s.name("cr"), text.replace('\n', "\r"));
    }
    let v = scan_json(dir.path(), &[]);
    for s in &SAMPLES {
        let (_, line) = s.file("");
        for stem in ["lf", "crlf", "cr"] {
            let name = s.name(stem);
            assert_eq!(skip_reason(&v, &name), None, "{name}");
            let found = calls(&v, &name, s.operation);
            if stem == "cr" && s.ext == "py" {
                // Python's grammar ends statements only at LF: a CR-only file reads as one
                // line and may not parse; it must still be noted and not crash.
                assert!(found.is_empty() || found == vec![(line, s.call_column())], "{name}: {found:?}");
            } else {
                assert_eq!(found, vec![(line, s.call_column())], "{name}");
            }
        }
        assert!(warnings(&v, &s.name("crlf")).is_empty(), "CRLF is an ordinary line ending: {:?}", warnings(&v, &s.name("crlf")));
        assert!(has_warning(&v, &s.name("cr"), "lone CR"), "{:?}", warnings(&v, &s.name("cr")));
    }
    // Snippets show the line without its CR.
    let f = v["findings"].as_array().unwrap().iter().find(|f| f["path"] == "cr.php" && f["operation"] == "getResourceList").unwrap();
    assert!(!f["snippet"].as_str().unwrap().contains('\r'), "{f:#}");
}

// ---------------------------------------------------------------------------------------------
// Size

/// One line of minified JavaScript holding `calls` v1.x calls, padded to `size` bytes.
fn minified(size: usize) -> (String, usize) {
    let head = "const ExaVaultApi=require('exa_vault_api');const u=new ExaVaultApi.UserApi();";
    let call = "u.getUsers(k,t,function(e,d){if(!d.success)throw d.error.message;});";
    let n = (size - head.len()) / call.len();
    let mut text = String::with_capacity(size);
    text.push_str(head);
    for _ in 0..n {
        text.push_str(call);
    }
    while text.len() < size {
        text.push(' ');
    }
    (text, n)
}

#[test]
fn files_over_max_filesize_are_skipped_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    control_file(dir.path());
    // 50 MB of minified JavaScript: skipped by its size, never read.
    let (chunk, _) = minified(1 << 20);
    let mut big = fs::File::create(dir.path().join("bundle.min.js")).unwrap();
    for _ in 0..50 {
        std::io::Write::write_all(&mut big, chunk.as_bytes()).unwrap();
    }
    drop(big);
    // 1 MB on a single line, over a 500 kB limit.
    write(dir.path(), "one-line.min.js", minified(1_000_000).0);
    let started = Instant::now();
    let v = scan_json(dir.path(), &["--max-filesize", "500000"]);
    println!("50 MB + 1 MB files skipped by size in {:.2} s", started.elapsed().as_secs_f64());
    expect_skipped(&v, "bundle.min.js", "larger than --max-filesize (52428800 bytes > 500000 bytes)");
    expect_skipped(&v, "one-line.min.js", "larger than --max-filesize (1000000 bytes > 500000 bytes)");
    expect_control_found(&v);
    // The default limit (4 MiB) skips the 50 MB file too.
    let v = scan_json(dir.path(), &["--exclude", "one-line.min.js"]);
    expect_skipped(&v, "bundle.min.js", "larger than --max-filesize");
}

#[test]
fn a_one_megabyte_single_line_file_under_the_limit_is_scanned_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let (text, n) = minified(1_000_000);
    write(dir.path(), "one-line.min.js", &text);
    let out = run(&["scan", ".", "--format", "json", "--max-filesize", "2000000", "--jobs", "1"], dir.path());
    println!("1 MB single-line file with {n} calls: scanned in {:.2} s", out.elapsed.as_secs_f64());
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
    let v = out.json();
    assert_eq!(skip_reason(&v, "one-line.min.js"), None);
    let found = calls(&v, "one-line.min.js", "getUsers");
    assert_eq!(found.len(), n, "every call on the line is found");
    let head = "const ExaVaultApi=require('exa_vault_api');const u=new ExaVaultApi.UserApi();u.".len() as u64;
    assert_eq!(found[0], (1, head + 1));
    let call = "u.getUsers(k,t,function(e,d){if(!d.success)throw d.error.message;});".len() as u64;
    assert_eq!(found[n - 1], (1, head + 1 + (n as u64 - 1) * call), "columns stay exact at the end of a long line");
    for f in v["findings"].as_array().unwrap() {
        assert!(f["snippet"].as_str().unwrap().len() < 800, "snippets of a long line are cut");
    }
}

// ---------------------------------------------------------------------------------------------
// Deep nesting

#[test]
fn deep_nesting_never_overflows_the_stack() {
    const DEPTH: usize = 100_000;
    let dir = tempfile::tempdir().unwrap();
    for s in &SAMPLES {
        for (kind, open, close) in [("parens", "(", ")"), ("arrays", "[", "]")] {
            let nested = format!("{}1{}", open.repeat(DEPTH), close.repeat(DEPTH));
            let (text, _) = s.file(&(s.statement)(&nested));
            write(dir.path(), &s.name(&format!("deep_{kind}")), text);
        }
    }
    // Generous bound: every file must end parsed or reported as a timeout, never crash.
    let out = run(&["scan", ".", "--format", "json", "--parse-timeout-ms", "60000"], dir.path());
    println!("8 files of {DEPTH} nested parentheses / arrays: {:.2} s", out.elapsed.as_secs_f64());
    assert!(matches!(out.status.code(), Some(0 | 1)), "crashed: {:?}\n{}", out.status, out.stderr);
    let v = out.json();
    for s in &SAMPLES {
        for kind in ["parens", "arrays"] {
            let name = s.name(&format!("deep_{kind}"));
            match skip_reason(&v, &name) {
                Some(reason) => assert!(reason.contains("parse timeout"), "{name}: {reason}"),
                None => {
                    let (_, line) = s.file("x");
                    assert_eq!(calls(&v, &name, s.operation), vec![(line, s.call_column())], "{name}");
                }
            }
        }
    }
    // A tight bound turns the same files into timeouts, each reported, and the scan goes on.
    control_file(dir.path());
    let v = scan_json(dir.path(), &["--parse-timeout-ms", "100"]);
    let timeouts = v["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| {
            s["path"].as_str().unwrap().starts_with("deep_") && s["reason"].as_str().unwrap().contains("parse timeout (longer than 100 ms")
        })
        .count();
    println!("with --parse-timeout-ms 100: {timeouts} of 8 deep files reported as parse timeouts");
    assert!(timeouts >= 1, "{:#}", v["skipped"]);
    expect_control_found(&v);
}

// ---------------------------------------------------------------------------------------------
// Syntax errors

#[test]
fn calls_in_the_parsable_parts_of_a_broken_file_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let broken = [
        ("php", "function broken( { if (;"),
        ("py", "def broken(:\n    return )("),
        ("js", "function broken( { if (;"),
        ("ts", "let x: = ;; if (;"),
    ];
    for (s, (ext, junk)) in SAMPLES.iter().zip(broken) {
        assert_eq!(s.ext, ext);
        write(dir.path(), &s.name("broken"), s.file(junk).0);
    }
    let v = scan_json(dir.path(), &[]);
    for s in &SAMPLES {
        let name = s.name("broken");
        let (_, junk) = broken.iter().find(|(e, _)| *e == s.ext).unwrap();
        let line = s.file(junk).1;
        assert!(has_warning(&v, &name, "syntax errors"), "{name}: {:?}", warnings(&v, &name));
        assert_eq!(calls(&v, &name, s.operation), vec![(line, s.call_column())], "{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// Links, permissions, vanishing files, FIFOs and devices, names, empty files

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_out_of_the_tree_are_not_followed() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let (text, _) = SAMPLES[0].file("");
    write(outside.path(), "secret/outside.php", &text);
    let dir = tempfile::tempdir().unwrap();
    control_file(dir.path());
    symlink(".", dir.path().join("ok/loop")).unwrap();
    symlink(dir.path(), dir.path().join("ok/root-loop")).unwrap();
    symlink(outside.path().join("secret"), dir.path().join("outside-dir")).unwrap();
    symlink(outside.path().join("secret/outside.php"), dir.path().join("outside.php")).unwrap();
    symlink(dir.path().join("missing.php"), dir.path().join("dangling.php")).unwrap();

    let v = scan_json(dir.path(), &[]);
    expect_skipped(&v, "ok/loop", "symbolic link to a folder (not followed");
    expect_skipped(&v, "outside-dir", "symbolic link to a folder (not followed");
    expect_skipped(&v, "outside.php", "symbolic link (not followed");
    expect_skipped(&v, "dangling.php", "broken symbolic link");
    expect_control_found(&v);

    let v = scan_json(dir.path(), &["--follow"]);
    let loops: Vec<&Value> =
        v["skipped"].as_array().unwrap().iter().filter(|s| s["reason"].as_str().unwrap().contains("symbolic link loop")).collect();
    assert_eq!(loops.len(), 2, "both loops reported: {:#}", v["skipped"]);
    expect_skipped(&v, "outside-dir", "symbolic link to outside the scanned folder");
    expect_skipped(&v, "outside.php", "symbolic link to outside the scanned folder");
    assert!(v["findings"].as_array().unwrap().iter().all(|f| !f["path"].as_str().unwrap().contains("outside")), "nothing read outside");
    expect_skipped(&v, "dangling.php", "broken symbolic link");
    expect_control_found(&v);
}

/// Runs the binary without the right to bypass file permissions. Root has it; `setpriv` drops
/// it for one process. `None` when that is impossible here.
fn run_unprivileged(args: &[&str], dir: &Path) -> Option<Run> {
    const DROP: [&str; 4] = ["--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-dac_override,-dac_read_search", "--", BIN];
    match effective_uid() {
        Some(0) => {
            let probe = Command::new("setpriv").args(&DROP[..3]).args(["true"]).status();
            if !probe.is_ok_and(|s| s.success()) {
                return None;
            }
            Some(run_program("setpriv", &DROP, args, dir))
        }
        _ => Some(run(args, dir)),
    }
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_folders_are_skipped_as_permission_denied() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    control_file(dir.path());
    let (text, _) = SAMPLES[0].file("");
    let file = write(dir.path(), "locked.php", &text);
    write(dir.path(), "locked-dir/inside.php", &text);
    fs::set_permissions(&file, fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(dir.path().join("locked-dir"), fs::Permissions::from_mode(0o000)).unwrap();
    let restore = || fs::set_permissions(dir.path().join("locked-dir"), fs::Permissions::from_mode(0o755)).unwrap();

    let Some(out) = run_unprivileged(&["scan", ".", "--format", "json"], dir.path()) else {
        restore();
        skip_test(
            "unreadable_files_and_folders_are_skipped_as_permission_denied",
            "running as root, where permissions do not stop reads, and `setpriv` cannot drop CAP_DAC_OVERRIDE here",
        );
        return;
    };
    restore();
    if effective_uid() == Some(0) {
        println!("running as root: checked with CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH dropped (setpriv)");
    }
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
    let v = out.json();
    expect_skipped(&v, "locked.php", "cannot read: permission denied");
    expect_skipped(&v, "locked-dir", "permission denied");
    expect_control_found(&v);
}

#[test]
fn a_file_deleted_between_walk_and_read_is_reported() {
    use exavault_migrate::catalog::Catalog;
    use exavault_migrate::scan::{scan_candidates, ScanOptions};
    use exavault_migrate::walk::walk;

    let dir = tempfile::tempdir().unwrap();
    control_file(dir.path());
    let (text, _) = SAMPLES[0].file("");
    let doomed = write(dir.path(), "doomed.php", &text);
    let options = ScanOptions { roots: vec![dir.path().to_path_buf()], ..ScanOptions::default() };
    let (candidates, skipped) = walk(&options.roots, &options.walk).unwrap();
    assert!(candidates.iter().any(|c| c.display == "doomed.php"));
    fs::remove_file(&doomed).unwrap();
    let catalog = Catalog::embedded().unwrap();
    let report = scan_candidates(&catalog, &options, candidates, skipped, Instant::now()).unwrap();
    let skip = report.skipped.iter().find(|s| s.path == "doomed.php").expect("the vanished file is reported");
    assert_eq!(skip.reason, "cannot read: vanished before it could be read");
    assert!(report.findings.iter().any(|f| f.path == "ok/control.php"), "the scan went on");
    // What the user sees: the JSON and text reports carry the same note.
    let json = exavault_migrate::report::json::render(&report, catalog.catalog_version);
    assert!(json.contains("vanished before it could be read"));
    let text = exavault_migrate::report::text::render(&report, exavault_migrate::report::text::Style::Plain, false);
    assert!(text.contains("doomed.php: cannot read: vanished before it could be read"), "{text}");
}

#[cfg(unix)]
fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo").arg(path).status().is_ok_and(|s| s.success())
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_skipped_without_blocking() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    control_file(dir.path());
    if !mkfifo(&dir.path().join("pipe.php")) {
        skip_test("fifos_and_devices_are_skipped_without_blocking", "mkfifo is not available");
        return;
    }
    // A FIFO as an ignore file: the walk reads ignore files, so it must not open this one.
    fs::create_dir_all(dir.path().join("sub")).unwrap();
    assert!(mkfifo(&dir.path().join("sub/.gitignore")));
    write(dir.path(), "sub/inside.php", SAMPLES[0].file("").0);
    // Devices: a device node if this machine lets us make one, and links to /dev/zero.
    let node = Command::new("mknod").arg(dir.path().join("null.js")).args(["c", "1", "3"]).status().is_ok_and(|s| s.success());
    symlink("/dev/zero", dir.path().join("zero.js")).unwrap();
    let inside_dev = dir.path().join("dev");
    fs::create_dir_all(&inside_dev).unwrap();

    let v = scan_json(dir.path(), &[]);
    expect_skipped(&v, "pipe.php", "not a regular file (FIFO, socket or device)");
    expect_skipped(&v, "sub", "its .gitignore is not a regular file");
    expect_skipped(&v, "zero.js", "symbolic link (not followed");
    if node {
        expect_skipped(&v, "null.js", "not a regular file (FIFO, socket or device)");
    } else {
        skip_test("fifos_and_devices_are_skipped_without_blocking (device node part)", "mknod is not permitted here");
    }
    expect_control_found(&v);

    // With --follow the link to /dev/zero points out of the tree; the FIFO is still refused.
    let v = scan_json(dir.path(), &["--follow"]);
    expect_skipped(&v, "zero.js", "symbolic link to outside the scanned folder");
    expect_skipped(&v, "pipe.php", "not a regular file");
    expect_control_found(&v);

    // A FIFO or a device named directly on the command line.
    let out = run(&["scan", "pipe.php", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", out.stderr);
    expect_skipped(&out.json(), "pipe.php", "not a regular file");

    // A FIFO as the root's own .gitignore: ignore files are not read at all, with a note.
    fs::remove_file(dir.path().join("sub/.gitignore")).unwrap();
    assert!(mkfifo(&dir.path().join(".gitignore")));
    let v = scan_json(dir.path(), &[]);
    expect_skipped(&v, ".gitignore", "ignore files were not read");
    assert_eq!(calls(&v, "sub/inside.php", "getResourceList").len(), 1);
}

#[cfg(target_os = "linux")]
#[test]
fn file_names_that_are_not_utf8_are_scanned_and_noted() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let (text, line) = SAMPLES[0].file("");
    let name = OsStr::from_bytes(b"caf\xe9.php");
    fs::write(dir.path().join(name), &text).unwrap();
    let v = scan_json(dir.path(), &[]);
    let shown = "caf\u{FFFD}.php";
    assert!(has_warning(&v, shown, "file name is not valid UTF-8"), "{:#}", v["warnings"]);
    assert_eq!(calls(&v, shown, "getResourceList"), vec![(line, SAMPLES[0].call_column())]);
}

#[test]
fn empty_files_are_scanned_quietly() {
    let dir = tempfile::tempdir().unwrap();
    for s in &SAMPLES {
        write(dir.path(), &s.name("empty"), "");
    }
    write(dir.path(), "pkg/__init__.py", "");
    let out = run(&["scan", ".", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", out.stderr);
    let v = out.json();
    assert_eq!(v["summary"]["files_scanned"], 5);
    assert!(v["skipped"].as_array().unwrap().is_empty() && v["warnings"].as_array().unwrap().is_empty(), "{v:#}");
}

// ---------------------------------------------------------------------------------------------
// What the user sees: the text summary carries every note

#[test]
fn the_text_summary_lists_every_skip_and_warning() {
    let dir = tempfile::tempdir().unwrap();
    control_file(dir.path());
    write(dir.path(), "bin.js", b"\0\x01\x02\x03\x04\x05\x06\x07\x08");
    write(dir.path(), "latin1.php", b"<?php\n// caf\xe9\n$api->getResourceList($t);\n");
    let out = run(&["scan", ".", "--color", "never"], dir.path());
    let text = out.text();
    assert!(text.contains("Skipped files: 1\n  bin.js: binary file (NUL byte at offset 0)"), "{text}");
    assert!(text.contains("Warnings: 1\n  latin1.php: not valid UTF-8"), "{text}");
}

#[test]
fn sarif_carries_skips_and_warnings_as_tool_notifications() {
    let dir = tempfile::tempdir().unwrap();
    control_file(dir.path());
    write(dir.path(), "bin.js", b"\0\x01\x02\x03\x04\x05\x06\x07\x08");
    write(dir.path(), "latin1.php", b"<?php\n// caf\xe9\n$api->getResourceList($t);\n");
    let out = run(&["scan", ".", "--format", "sarif"], dir.path());
    let v = out.json();
    let Some(notes) = v["runs"][0]["invocations"][0]["toolExecutionNotifications"].as_array() else {
        skip_test("sarif_carries_skips_and_warnings_as_tool_notifications", "the SARIF reporter writes no invocations yet");
        return;
    };
    let all = serde_json::to_string(notes).unwrap();
    assert!(all.contains("binary file") && all.contains("bin.js"), "{all}");
    assert!(all.contains("not valid UTF-8") && all.contains("latin1.php"), "{all}");
}

// ---------------------------------------------------------------------------------------------
// Fatal errors: exit 2, one clear message, no report written

#[test]
fn fatal_errors_exit_2_with_one_message_and_write_no_report() {
    let dir = tempfile::tempdir().unwrap();
    control_file(dir.path());
    write(dir.path(), "old-report.json", "previous report\n");
    write(dir.path(), "broken-catalog.json", "{ \"catalog_version\": 1, \"operations\": [");
    let cases: [(&str, Vec<&str>, &str); 5] = [
        ("missing root", vec!["scan", "no-such-folder", "--output", "old-report.json"], "no-such-folder"),
        ("bad argument", vec!["scan", ".", "--jobs", "many", "--output", "old-report.json"], "many"),
        ("unknown language", vec!["scan", ".", "--lang", "cobol", "--output", "old-report.json"], "cobol"),
        ("bad exclude glob", vec!["scan", ".", "--exclude", "a[", "--output", "old-report.json"], "a["),
        ("broken catalog", vec!["--catalog", "broken-catalog.json", "scan", ".", "--output", "old-report.json"], "broken-catalog.json"),
    ];
    for (what, args, needle) in cases {
        let out = run(&args, dir.path());
        assert_eq!(out.status.code(), Some(2), "{what}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{what}: nothing on stdout");
        assert!(out.stderr.contains(needle), "{what}: {}", out.stderr);
        assert!(!out.stderr.contains("panicked"), "{what}: {}", out.stderr);
        assert_eq!(fs::read_to_string(dir.path().join("old-report.json")).unwrap(), "previous report\n", "{what}: report untouched");
    }
    assert_no_temporary_files(dir.path());
}

#[cfg(unix)]
#[test]
fn an_unreadable_root_is_fatal() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    control_file(dir.path());
    fs::set_permissions(dir.path().join("ok"), fs::Permissions::from_mode(0o000)).unwrap();
    let out = run_unprivileged(&["scan", "ok", "--format", "json", "--output", "report.json"], dir.path());
    fs::set_permissions(dir.path().join("ok"), fs::Permissions::from_mode(0o755)).unwrap();
    let Some(out) = out else {
        skip_test("an_unreadable_root_is_fatal", "running as root and `setpriv` cannot drop CAP_DAC_OVERRIDE here");
        return;
    };
    assert_eq!(out.status.code(), Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("ok") && out.stderr.to_lowercase().contains("permission denied"), "{}", out.stderr);
    assert!(!dir.path().join("report.json").exists(), "no report written");
}

// ---------------------------------------------------------------------------------------------
// Determinism, atomic reports, closed pipes

/// Every non-blocking hostile case in one tree.
fn hostile_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    control_file(dir.path());
    for s in &SAMPLES {
        let (text, _) = s.file("");
        write(dir.path(), &format!("{}/{}", s.ext, s.name("plain")), &text);
        write(dir.path(), &format!("{}/{}", s.ext, s.name("crlf")), text.replace('\n', "\r\n"));
        write(dir.path(), &format!("{}/{}", s.ext, s.name("utf16")), utf16(&text, true));
        write(dir.path(), &format!("{}/{}", s.ext, s.name("broken")), s.file("((( [[[ {{{").0);
        write(dir.path(), &format!("{}/{}", s.ext, s.name("empty")), "");
        let mut latin1 = text.clone().into_bytes();
        latin1.extend_from_slice(b"\xe9\xe8\n");
        write(dir.path(), &format!("{}/{}", s.ext, s.name("latin1")), latin1);
        write(dir.path(), &format!("{}/{}", s.ext, s.name("binary")), b"\0\x01\x02\x03binary\x04\x05");
    }
    write(dir.path(), "big/one-line.min.js", minified(100_000).0);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(".", dir.path().join("loop")).unwrap();
        mkfifo(&dir.path().join("pipe.js"));
    }
    dir
}

#[test]
fn the_same_tree_gives_byte_identical_json_and_sarif() {
    let dir = hostile_tree();
    let reports = |jobs: &str, tag: &str| -> (Vec<u8>, Vec<u8>) {
        let (json, sarif) = (format!("{tag}.json"), format!("{tag}.sarif"));
        let out = run(&["scan", ".", "--jobs", jobs, "--json-output", &json, "--sarif-output", &sarif, "-q"], dir.path());
        assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
        let read = |name: &str| {
            let bytes = fs::read(dir.path().join(name)).unwrap();
            fs::remove_file(dir.path().join(name)).unwrap();
            bytes
        };
        (read(&json), read(&sarif))
    };
    let first = reports("1", "a");
    let again = reports("1", "b");
    let two = reports("2", "c");
    let two_again = reports("2", "d");
    assert!(first.0.len() > 1000, "a real report");
    for (name, other) in [("the same tree twice", &again), ("--jobs 1 and --jobs 2", &two), ("--jobs 2 twice", &two_again)] {
        assert!(first.0 == other.0, "JSON differs between {name}");
        assert!(first.1 == other.1, "SARIF differs between {name}");
    }
    let v: Value = serde_json::from_slice(&first.0).unwrap();
    assert!(v["skipped"].as_array().unwrap().len() >= 4 && v["warnings"].as_array().unwrap().len() >= 8, "{v:#}");
}

fn assert_no_temporary_files(dir: &Path) {
    let leftovers: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn reports_are_written_atomically() {
    let dir = tempfile::tempdir().unwrap();
    control_file(dir.path());
    write(dir.path(), "report.json", "previous report\n");
    // A report that cannot be written fails the run (exit 2) and leaves nothing behind.
    let out = run(&["scan", "ok", "--format", "json", "--output", "no-such-dir/report.json"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("no-such-dir/report.json"), "{}", out.stderr);
    assert!(!dir.path().join("no-such-dir").exists());
    // A successful run replaces the old report whole.
    let out = run(&["scan", "ok", "--format", "json", "--output", "report.json", "--sarif-output", "report.sarif"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
    let v: Value = serde_json::from_str(&fs::read_to_string(dir.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(v["summary"]["files_scanned"], 1);
    assert_no_temporary_files(dir.path());
    // An interrupted scan (killed before it writes) leaves the previous report as it was.
    let (text, _) = minified(3_000_000);
    write(dir.path(), "ok/slow.min.js", text);
    let mut child = Command::new(BIN)
        .args(["scan", "ok", "--format", "json", "--output", "report.json", "--max-filesize", "4000000", "--jobs", "1"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let before = fs::read(dir.path().join("report.json")).unwrap();
    std::thread::sleep(Duration::from_millis(150));
    child.kill().unwrap();
    child.wait().unwrap();
    let after = fs::read(dir.path().join("report.json")).unwrap();
    assert!(after == before || serde_json::from_slice::<Value>(&after).is_ok(), "the report is the old one or a whole new one");
}

#[test]
fn a_closed_stdout_pipe_ends_the_scan_quietly() {
    let dir = hostile_tree();
    for format in ["text", "json", "sarif"] {
        let mut child = Command::new(BIN)
            .args(["scan", ".", "--format", format])
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader went away (`| head` that already exited)
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{format}: exit {:?}: {stderr}", out.status);
        assert!(stderr.is_empty(), "{format}: nothing on stderr, got {stderr}");
    }
}
