//! The command line as users drive it: exit codes, formats, filters, report files.

use std::path::Path;
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_exavault-migrate"))
}

fn run(args: &[&str], dir: &Path) -> Output {
    bin().args(args).current_dir(dir).output().expect("binary runs")
}

const LEGACY_PHP: &str = r#"<?php
require_once 'V1Api.php';
$api = new V1Api(new APIClient(getenv('EV_KEY'), 'https://api.exavault.com'));
$auth = $api->authenticateUser($user, $pass);
if (!$auth->success) {
    die($auth->error->message);
}
$list = $api->getResourceList($auth->results->accessToken, '/', 'sort_files_name', 'asc', 0, 50);
"#;

const LEGACY_PY: &str = "import requests\nBASE = 'https://api.exavault.com/v1.2'\nr = requests.get(BASE + '/getUploadFileUrl', params={'access_token': t}, headers={'api_key': k}).json()\nif r['success'] != 1:\n    raise RuntimeError(r['error']['message'])\n";

const CLEAN_PHP: &str = "<?php\nclass UserController {\n    public function show() { return $this->getUser(); }\n}\n";

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("app/legacy")).unwrap();
    std::fs::write(dir.path().join("app/legacy/Sync.php"), LEGACY_PHP).unwrap();
    std::fs::write(dir.path().join("app/upload.py"), LEGACY_PY).unwrap();
    std::fs::write(dir.path().join("app/UserController.php"), CLEAN_PHP).unwrap();
    dir
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("JSON on stdout: {e}\n{}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn findings_exit_1_and_a_clean_tree_exits_0() {
    let dir = tree();
    let out = run(&["scan", "app", "--format", "json"], dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&["scan", "app/UserController.php"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn json_report_has_the_documented_shape() {
    let dir = tree();
    let v = json(&run(&["scan", "app", "--format", "json"], dir.path()));
    assert_eq!(v["schema_version"], "1.0");
    assert_eq!(v["tool"]["name"], "exavault-migrate");
    assert_eq!(v["roots"][0], "app");
    assert_eq!(v["summary"]["files_scanned"], 3);
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        for key in [
            "rule_id",
            "kind",
            "operation",
            "path",
            "line",
            "column",
            "end_line",
            "end_column",
            "language",
            "api_version",
            "confidence",
            "evidence",
            "snippet",
            "message",
            "effort",
            "replacement",
        ] {
            assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
        }
        assert!(!f["path"].as_str().unwrap().contains('\\'));
        assert!(f["line"].as_u64().unwrap() >= 1 && f["column"].as_u64().unwrap() >= 1);
        assert!(f["replacement"]["rest"].as_array().is_some_and(|r| !r.is_empty()));
    }
    let call = findings.iter().find(|f| f["operation"] == "getResourceList").expect("getResourceList found");
    assert_eq!(call["path"], "legacy/Sync.php");
    assert_eq!(call["kind"], "call");
    assert_eq!(call["line"], 8);
    assert_eq!(call["language"], "php");
    assert_eq!(call["confidence"], "high");
    assert!(call["replacement"]["sdk"].as_str().unwrap().contains("Folder::listFor"), "PHP replacement: {}", call["replacement"]["sdk"]);
    let py = findings.iter().find(|f| f["operation"] == "getUploadFileUrl").expect("raw HTTP call found");
    assert_eq!(py["api_version"], "v1.2");
    assert!(py["replacement"]["sdk"].as_str().unwrap().contains("files_sdk"), "Python replacement: {}", py["replacement"]["sdk"]);
    let kinds: Vec<&str> = findings.iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"envelope_check") && kinds.contains(&"setup"));
    let paths: Vec<(&str, u64, u64)> =
        findings.iter().map(|f| (f["path"].as_str().unwrap(), f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap())).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted, "findings sorted by path, line, column");
}

#[test]
fn same_tree_gives_the_same_bytes_with_one_or_two_workers() {
    let dir = tree();
    let one = run(&["scan", "app", "--format", "json", "--jobs", "1"], dir.path());
    let two = run(&["scan", "app", "--format", "json", "--jobs", "2"], dir.path());
    let again = run(&["scan", "app", "--format", "json", "--jobs", "2"], dir.path());
    assert_eq!(one.stdout, two.stdout);
    assert_eq!(two.stdout, again.stdout);
}

#[test]
fn output_file_and_extra_reports_are_written() {
    let dir = tree();
    let out = run(&["scan", "app", "--output", "report.txt", "--json-output", "report.json", "--color", "never"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "report went to the file");
    let text = std::fs::read_to_string(dir.path().join("report.txt")).unwrap();
    assert!(text.contains("getResourceList") && text.contains("Summary"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour codes in files");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap()).unwrap();
    assert!(v["findings"].as_array().unwrap().len() > 3);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files removed");
}

#[test]
fn text_report_shows_the_replacement_in_the_files_language() {
    let dir = tree();
    let out = run(&["scan", "app", "--color", "never"], dir.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("EXV1003"), "{text}");
    assert!(text.contains("Files.com PHP SDK: "), "{text}");
    assert!(text.contains("Files.com Python SDK: "), "{text}");
    assert!(text.contains("legacy/Sync.php:8:"), "{text}");
    assert!(text.contains("files scanned:       3"), "{text}");
    assert!(text.contains("Findings per operation"), "{text}");
}

#[test]
fn exclude_lang_and_gitignore_filter_the_walk() {
    let dir = tree();
    let count = |args: &[&str]| json(&run(args, dir.path()))["summary"]["files_scanned"].as_u64().unwrap();
    assert_eq!(count(&["scan", "app", "--format", "json", "--exclude", "legacy/"]), 2);
    assert_eq!(count(&["scan", "app", "--format", "json", "--lang", "python"]), 1);
    assert_eq!(count(&["scan", "app", "--format", "json", "--lang", "php,python"]), 3);
    std::fs::write(dir.path().join("app/.gitignore"), "legacy/\n").unwrap();
    assert_eq!(count(&["scan", "app", "--format", "json"]), 2);
    assert_eq!(count(&["scan", "app", "--format", "json", "--no-ignore"]), 3);
}

#[test]
fn several_roots_keep_distinct_paths() {
    let dir = tree();
    let v = json(&run(&["scan", "app/legacy", "app/upload.py", "--format", "json"], dir.path()));
    let paths: std::collections::BTreeSet<&str> = v["findings"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths.into_iter().collect::<Vec<_>>(), vec!["app/legacy/Sync.php", "app/upload.py"]);
}

#[test]
fn min_confidence_low_shows_name_only_matches() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("svc.php"), "<?php\n$u = $repo->createUser($data);\n").unwrap();
    let default = run(&["scan", ".", "--format", "json"], dir.path());
    assert_eq!(default.status.code(), Some(0));
    assert_eq!(json(&default)["summary"]["files_parsed"], 0, "a common name alone does not need a parse at medium confidence");
    let low = json(&run(&["scan", ".", "--format", "json", "--min-confidence", "low"], dir.path()));
    assert_eq!(low["findings"][0]["confidence"], "low");
    assert_eq!(low["findings"][0]["evidence"][0], "name_only");
}

#[test]
fn errors_exit_2_with_a_clear_message() {
    let dir = tree();
    let out = run(&["scan", "does-not-exist"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does-not-exist"));
    let out = run(&["scan", "app", "--format", "yaml"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["scan", "app", "--lang", "cobol"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cobol"));
    std::fs::write(dir.path().join("bad.json"), "{ \"catalog_version\": 1, ").unwrap();
    let out = run(&["--catalog", "bad.json", "scan", "app", "--output", "never.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.json") && err.contains("catalog"), "{err}");
    assert!(!dir.path().join("never.json").exists(), "no partial report");
}

#[test]
fn rules_and_explain_print_the_catalog() {
    let dir = tree();
    let out = run(&["rules"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("getUploadFileUrl") && text.contains("EXV2001") && text.contains("EXV3001"));
    let v = json(&run(&["rules", "--format", "json"], dir.path()));
    assert_eq!(v["operations"].as_array().unwrap().len(), 45);
    let out = run(&["explain", "getUploadFileUrl"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("/v1.2/getUploadFileUrl") && text.contains("Files.com") && text.contains("PHP:") && text.contains("What changes"),
        "{text}"
    );
    assert_eq!(run(&["explain", "get_upload_file_url"], dir.path()).status.code(), Some(0));
    let out = run(&["explain", "getFileInfo"], dir.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_catalog_given_on_the_command_line_is_used() {
    let dir = tree();
    let text = exavault_migrate::catalog::EMBEDDED_CATALOG.replace("\"EXV1003\"", "\"EXV9003\"");
    std::fs::write(dir.path().join("mine.json"), text).unwrap();
    let v = json(&run(&["--catalog", "mine.json", "scan", "app", "--format", "json"], dir.path()));
    assert!(v["findings"].as_array().unwrap().iter().any(|f| f["rule_id"] == "EXV9003"));
}

#[test]
fn a_version_configured_in_another_file_applies_to_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.py"),
        "import swagger_client\nconf = swagger_client.Configuration()\nconf.host = 'https://api.exavault.com/v1.2'\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("sync.py"),
        "from swagger_client import FilesAndFoldersApi\napi = FilesAndFoldersApi()\nr = api.get_resource_list(key, token, '/')\n",
    )
    .unwrap();
    let v = json(&run(&["scan", ".", "--format", "json"], dir.path()));
    let call = v["findings"].as_array().unwrap().iter().find(|f| f["operation"] == "getResourceList").expect("call found");
    assert_eq!(call["path"], "sync.py");
    assert_eq!(call["api_version"], "v1.2", "version taken from config.py");
}
