//! SARIF output, end to end: runs the built binary on trees made here (and on `samples/` and
//! `tests/fixtures/`), then checks the log against the SARIF 2.1.0 JSON schema (vendored in
//! `tests/sarif/`) and against the invariants GitHub code scanning relies on that no validator
//! checks: every ruleId in rules[], ruleIndex consistent, one run, at most 25,000 results, at most
//! 20 tags, id != name, relative `/`-separated URIs, 1-based UTF-16 columns that point at the
//! snippet, content-based fingerprints and byte-identical output.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_exavault-migrate");
const MAX_RESULTS: usize = 25_000;

/// PHP with ExaVault v1.x context and non-ASCII text before the call on the same line.
const PHP_NON_ASCII: &str = "<?php\n\
require_once 'V1Api.php';\n\
$api = new V1Api(new APIClient($k, 'https://api.exavault.com'));\n\
$msg = \"héllo 😀\"; $r = $api->getResourceList($t, '/');\n";

struct Scan {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cwd: &Path, args: &[&str]) -> Scan {
    let out = Command::new(BIN).args(args).current_dir(cwd).env("NO_COLOR", "1").output().expect("the binary runs");
    Scan {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 output"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `scan ARGS --format sarif` in `cwd`; the raw text and the parsed log.
fn sarif(cwd: &Path, args: &[&str]) -> (String, Value) {
    let mut all = vec!["scan"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "sarif"]);
    let scan = run(cwd, &all);
    assert!(scan.code == 0 || scan.code == 1, "scan {args:?} exited {}: {}", scan.code, scan.stderr);
    let log: Value = serde_json::from_str(&scan.stdout).expect("SARIF is JSON");
    (scan.stdout, log)
}

fn write(root: &Path, rel: &str, text: &str) -> PathBuf {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run0(log: &Value) -> &Value {
    &log["runs"][0]
}

fn results(log: &Value) -> &Vec<Value> {
    run0(log)["results"].as_array().expect("results[]")
}

fn rules(log: &Value) -> &Vec<Value> {
    run0(log)["tool"]["driver"]["rules"].as_array().expect("rules[]")
}

fn region(result: &Value) -> &Value {
    &result["locations"][0]["physicalLocation"]["region"]
}

fn uri(result: &Value) -> &str {
    result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().expect("artifactLocation.uri")
}

fn int(v: &Value) -> usize {
    v.as_u64().expect("a non-negative integer") as usize
}

/// The id of the catalog rule with this SARIF rule name (`GetResourceListCall`).
fn rule_id(log: &Value, name: &str) -> String {
    rules(log).iter().find(|r| r["name"] == name).unwrap_or_else(|| panic!("no rule named {name}"))["id"].as_str().unwrap().to_string()
}

fn results_of<'a>(log: &'a Value, rule: &str) -> Vec<&'a Value> {
    results(log).iter().filter(|r| r["ruleId"] == rule).collect()
}

// ---------------------------------------------------------------------------------------------
// The checks.

fn schema() -> &'static jsonschema::Validator {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let schema: Value = serde_json::from_str(include_str!("sarif/sarif-2.1.0.json")).expect("the vendored schema is JSON");
        jsonschema::options().should_validate_formats(true).build(&schema).expect("the vendored schema compiles")
    })
}

fn assert_schema_valid(log: &Value) {
    let errors: Vec<String> = schema().iter_errors(log).take(20).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF fails the 2.1.0 schema:\n{}", errors.join("\n"));
}

fn is_pascal_case(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Everything GitHub needs that the schema does not say.
fn assert_github_ready(log: &Value) {
    assert_schema_valid(log);
    assert_eq!(log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().expect("runs[]");
    assert_eq!(runs.len(), 1, "exactly one run");
    let run = &runs[0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    assert!(!run["automationDetails"]["id"].as_str().unwrap().is_empty());
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "exavault-migrate");
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"].as_str().unwrap().starts_with("https://"));
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);

    let rules = rules(log);
    assert!(!rules.is_empty());
    let mut ids = HashSet::new();
    let mut names = HashSet::new();
    for rule in rules {
        let id = rule["id"].as_str().expect("rule id");
        let name = rule["name"].as_str().expect("rule name");
        assert!(ids.insert(id), "rule id {id} twice");
        assert!(names.insert(name), "rule name {name} twice");
        assert_ne!(id, name, "rule {id}: name must differ from id");
        assert!(is_pascal_case(name), "rule {id}: name {name} is not PascalCase");
        for field in ["shortDescription", "fullDescription"] {
            let text = rule[field]["text"].as_str().unwrap_or("");
            assert!(!text.is_empty(), "rule {id}: empty {field}");
            assert!(text.chars().count() <= 1024, "rule {id}: {field} too long");
        }
        assert!(!rule["help"]["text"].as_str().unwrap_or("").trim().is_empty(), "rule {id}: help.text");
        assert!(!rule["help"]["markdown"].as_str().unwrap_or("").trim().is_empty(), "rule {id}: help.markdown");
        assert!(rule["helpUri"].as_str().unwrap_or("").starts_with("https://"), "rule {id}: helpUri");
        let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(["warning", "note"].contains(&level), "rule {id}: {level}");
        let props = &rule["properties"];
        let tags = props["tags"].as_array().expect("tags");
        assert!(!tags.is_empty() && tags.len() <= 20, "rule {id}: {} tags", tags.len());
        assert!(tags.contains(&Value::from("exavault-v1")));
        assert!(tags.contains(&Value::from("migration")));
        assert!(["high", "medium"].contains(&props["precision"].as_str().unwrap()));
        let severity = props["problem.severity"].as_str().unwrap();
        assert!(["warning", "recommendation"].contains(&severity));
        assert!(props.get("security-severity").is_none(), "rule {id}: migration rules are not security rules");
    }

    let results = results(log);
    assert!(results.len() <= MAX_RESULTS);
    for (i, result) in results.iter().enumerate() {
        let rule_id = result["ruleId"].as_str().expect("ruleId");
        assert!(ids.contains(rule_id), "result {i}: ruleId {rule_id} not in rules[]");
        let index = int(&result["ruleIndex"]);
        assert_eq!(rules[index]["id"], rule_id, "result {i}: ruleIndex");
        let level = result["level"].as_str().unwrap();
        assert!(["warning", "note"].contains(&level));
        let message = result["message"]["text"].as_str().unwrap();
        let title = message.split(". ").next().unwrap();
        let expected_start =
            if result["properties"]["kind"] == "wrapper_call" { "Call of a project wrapper around ExaVault v1.x" } else { "ExaVault v1.x" };
        assert!(title.starts_with(expected_start) && title.len() < 200, "result {i}: title {title:?}");
        let locations = result["locations"].as_array().unwrap();
        assert_eq!(locations.len(), 1);
        let u = uri(result);
        assert_relative_uri(u);
        assert_eq!(locations[0]["physicalLocation"]["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let r = region(result);
        let (sl, sc, el, ec) = (int(&r["startLine"]), int(&r["startColumn"]), int(&r["endLine"]), int(&r["endColumn"]));
        assert!(sl >= 1 && sc >= 1 && el >= sl && ec >= 1, "result {i}: {r}");
        assert!(el > sl || ec >= sc, "result {i}: region ends before it starts");
        let hash = result["partialFingerprints"]["primaryLocationLineHash"].as_str().expect("primaryLocationLineHash");
        let (hex, n) = hash.split_once(':').expect("<hex>:<n>");
        assert!(!hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()));
        assert!(n.parse::<u32>().unwrap() >= 1);
        let props = &result["properties"];
        for key in ["operation", "subject", "kind", "confidence", "evidence", "effort", "category", "api_version", "replacement"] {
            assert!(props.get(key).is_some(), "result {i}: properties.{key}");
        }
        assert!(props["effort"]["points"].is_u64() && props["effort"]["class"].is_string());
        for key in ["rest", "sdk", "docs_url"] {
            assert!(props["replacement"].get(key).is_some());
        }
    }
    // Deterministic order: path, line, column.
    let keys: Vec<(String, usize, usize)> =
        results.iter().map(|r| (uri(r).to_string(), int(&region(r)["startLine"]), int(&region(r)["startColumn"]))).collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| percent_decode(&a.0).cmp(&percent_decode(&b.0)).then((a.1, a.2).cmp(&(b.1, b.2))));
    assert_eq!(keys, sorted, "results are not sorted by path, line, column");
}

fn assert_relative_uri(u: &str) {
    assert!(!u.is_empty());
    assert!(!u.contains('\\'), "backslash in {u}");
    assert!(!u.starts_with('/'), "absolute path {u}");
    assert!(!u.starts_with("./"), "{u}");
    let first = u.split('/').next().unwrap();
    assert!(!first.contains(':'), "{u} reads as having a scheme");
    assert!(
        u.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@%".contains(&b)),
        "{u} holds characters a URI reference may not"
    );
}

fn percent_decode(u: &str) -> String {
    let bytes = u.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).expect("percent escape"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("UTF-8 path")
}

/// Each result's region, read back from the file in UTF-16 code units, is its snippet.
fn assert_regions_match_files(log: &Value, root: &Path) {
    let mut files: BTreeMap<String, Option<Vec<Vec<u16>>>> = BTreeMap::new();
    let mut checked = 0;
    for result in results(log) {
        let r = region(result);
        let Some(snippet) = r["snippet"]["text"].as_str() else {
            continue;
        };
        let path = percent_decode(uri(result));
        let lines = files.entry(path.clone()).or_insert_with(|| {
            let bytes = std::fs::read(root.join(&path)).ok()?;
            if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
                return None; // UTF-16 files are decoded before scanning
            }
            let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&bytes);
            let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
            Some(text.split(['\n', '\r']).map(|l| l.encode_utf16().collect()).collect())
        });
        let Some(lines) = lines else { continue };
        let (sl, sc, el, ec) = (int(&r["startLine"]) - 1, int(&r["startColumn"]) - 1, int(&r["endLine"]) - 1, int(&r["endColumn"]) - 1);
        let mut units: Vec<u16> = Vec::new();
        for (n, line) in lines.iter().enumerate().take(el + 1).skip(sl) {
            let from = if n == sl { sc } else { 0 };
            let to = if n == el { ec } else { line.len() };
            assert!(from <= to && to <= line.len(), "{path}:{}: columns {sc}..{ec} outside the line", n + 1);
            units.extend_from_slice(&line[from..to]);
            if n != el {
                units.push(u16::from(b'\n'));
            }
        }
        let text = String::from_utf16_lossy(&units);
        assert_eq!(text, snippet.replace('\r', ""), "{path}:{}: region text differs from the snippet", sl + 1);
        checked += 1;
    }
    assert!(checked > 0 || results(log).is_empty(), "no region snippet was checked");
}

// ---------------------------------------------------------------------------------------------
// Trees.

fn mixed_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "src/portal/Files.php", PHP_NON_ASCII);
    write(
        root,
        "src/my dir/ünï #1.php",
        "<?php\nrequire_once 'V1Api.php';\n$api = new V1Api(new APIClient($k, 'https://api.exavault.com'));\n$r = $api->getUser($t, 'bob');\nif (!$r->success) { echo $r->error->message; }\n",
    );
    write(
        root,
        "sync/run.py",
        "import swagger_client\nfrom swagger_client import V1Api\napi = V1Api(swagger_client.ApiClient())\nres = api.get_resource_list(api_key, token, '/')\nif not res.success:\n    print(res.error.message)\n",
    );
    write(
        root,
        "web/app.js",
        "const ExaVault = require('exa_vault_api');\nconst api = new ExaVault.FilesAndFoldersApi();\napi.getResourceList(apiKey, token, '/', (err, data) => {\n  if (!data.success) { console.log('ä', data.error.message); }\n});\n",
    );
    write(root, "README.md", "# not code\n");
    dir
}

// ---------------------------------------------------------------------------------------------
// Tests.

#[test]
fn temp_tree_gives_a_github_ready_log() {
    let dir = mixed_tree();
    let (_, log) = sarif(dir.path(), &["."]);
    assert_github_ready(&log);
    assert_regions_match_files(&log, dir.path());
    assert!(results(&log).len() >= 8, "{}", results(&log).len());
    let uris: HashSet<&str> = results(&log).iter().map(uri).collect();
    for expected in ["src/portal/Files.php", "src/my%20dir/%C3%BCn%C3%AF%20%231.php", "sync/run.py", "web/app.js"] {
        assert!(uris.contains(expected), "{expected} not in {uris:?}");
    }
}

#[test]
fn samples_and_fixtures_give_github_ready_logs() {
    let mut scanned = 0;
    for dir in ["samples", "tests/fixtures"] {
        let root = repo().join(dir);
        if !root.is_dir() {
            continue;
        }
        let (_, log) = sarif(repo(), &[dir]);
        assert_github_ready(&log);
        assert_regions_match_files(&log, &root);
        // The base URI is the canonical scanned folder, as a file:// URI with a trailing slash.
        let base = run0(&log)["originalUriBaseIds"]["%SRCROOT%"]["uri"].as_str().expect("%SRCROOT% uri for one folder");
        assert!(base.starts_with("file:///") && base.ends_with('/'), "{base}");
        let canonical = root.canonicalize().unwrap();
        assert_eq!(percent_decode(base.strip_prefix("file://").unwrap()), format!("{}/", canonical.display()));
        scanned += 1;
    }
    if scanned == 0 {
        eprintln!("neither samples/ nor tests/fixtures/ exists; nothing scanned");
    }
}

#[test]
fn rules_are_the_whole_catalog_in_catalog_order() {
    let catalog = run(repo(), &["rules", "--format", "json"]);
    assert_eq!(catalog.code, 0);
    let catalog: Value = serde_json::from_str(&catalog.stdout).unwrap();
    let mut expected: Vec<(String, String)> = Vec::new();
    for section in ["operations", "envelope_rules", "setup_rules"] {
        for rule in catalog[section].as_array().unwrap() {
            expected.push((rule["id"].as_str().unwrap().to_string(), rule["name"].as_str().unwrap().to_string()));
        }
    }
    let empty = tempfile::tempdir().unwrap();
    let (_, none) = sarif(empty.path(), &["."]);
    assert!(results(&none).is_empty());
    assert_github_ready(&none);
    let dir = mixed_tree();
    let (_, some) = sarif(dir.path(), &["."]);
    // Same rules[] (so the same ruleIndex) whatever was found.
    assert_eq!(rules(&none), rules(&some));
    let got: Vec<(String, String)> =
        rules(&none).iter().map(|r| (r["id"].as_str().unwrap().to_string(), r["name"].as_str().unwrap().to_string())).collect();
    assert_eq!(got.len(), expected.len());
    for ((id, name), (cid, cname)) in got.iter().zip(&expected) {
        assert_eq!(id, cid);
        if cname.starts_with(|c: char| c.is_ascii_lowercase()) {
            // camelCase operation -> PascalCase + "Call"
            let mut pascal = cname[..1].to_ascii_uppercase();
            pascal.push_str(&cname[1..]);
            pascal.push_str("Call");
            assert_eq!(name, &pascal);
        } else {
            assert_eq!(name, cname);
        }
    }
    let get_resource_list = rules(&none).iter().find(|r| r["name"] == "GetResourceListCall").expect("GetResourceListCall");
    let markdown = get_resource_list["help"]["markdown"].as_str().unwrap();
    for needle in ["/api/rest/v1/", "```php", "```python", "```javascript", "What changes"] {
        assert!(markdown.contains(needle), "help.markdown lacks {needle}");
    }
}

#[test]
fn non_ascii_text_before_a_call_counts_utf16_code_units() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "portal.php", PHP_NON_ASCII);
    let (_, log) = sarif(dir.path(), &["."]);
    assert_github_ready(&log);
    assert_regions_match_files(&log, dir.path());
    let id = rule_id(&log, "GetResourceListCall");
    let found = results_of(&log, &id);
    assert_eq!(found.len(), 1, "{log:#}");
    let r = region(found[0]);

    let line = PHP_NON_ASCII.lines().nth(3).unwrap();
    let at = line.find("getResourceList").unwrap();
    let utf16 = line[..at].encode_utf16().count() + 1;
    let chars = line[..at].chars().count() + 1;
    assert_ne!(utf16, chars, "the emoji takes two UTF-16 code units");
    assert_eq!(int(&r["startLine"]), 4);
    assert_eq!(int(&r["startColumn"]), utf16);
    assert_eq!(r["snippet"]["text"].as_str().unwrap(), "getResourceList($t, '/')");
    let end = line.find(';').map(|_| line.rfind(')').unwrap() + 1).unwrap();
    assert_eq!(int(&r["endColumn"]), line[..end].encode_utf16().count() + 1);
    assert_eq!(found[0]["locations"][0]["physicalLocation"]["contextRegion"]["snippet"]["text"], line);

    // The JSON report counts characters; SARIF counts UTF-16 code units.
    let json = run(dir.path(), &["scan", ".", "--format", "json"]);
    let json: Value = serde_json::from_str(&json.stdout).unwrap();
    let finding = json["findings"].as_array().unwrap().iter().find(|f| f["rule_id"] == id.as_str()).unwrap();
    assert_eq!(int(&finding["column"]), chars);

    let message = found[0]["message"]["text"].as_str().unwrap();
    assert!(message.starts_with("ExaVault v1.x call `getResourceList` must move to Files.com. "), "{message}");
    assert_eq!(found[0]["properties"]["operation"], "getResourceList");
    assert_eq!(found[0]["properties"]["language"], "php");
}

#[test]
fn fingerprint_survives_lines_inserted_above() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "portal.php", PHP_NON_ASCII);
    let (_, before) = sarif(dir.path(), &["."]);
    let id = rule_id(&before, "GetResourceListCall");
    let first = results_of(&before, &id)[0].clone();

    let mut lines: Vec<&str> = PHP_NON_ASCII.lines().collect();
    lines.splice(3..3, ["// Files are listed here.", "$unrelated = strtoupper('x');", ""]);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let (_, after) = sarif(dir.path(), &["."]);
    let second = results_of(&after, &id)[0].clone();

    assert_eq!(int(&region(&first)["startLine"]), 4);
    assert_eq!(int(&region(&second)["startLine"]), 7);
    assert_eq!(
        first["partialFingerprints"]["primaryLocationLineHash"], second["partialFingerprints"]["primaryLocationLineHash"],
        "the alert keeps its identity when lines are inserted above it"
    );

    // Changing the finding's own line changes its hash.
    std::fs::write(&path, PHP_NON_ASCII.replace("héllo", "hello")).unwrap();
    let (_, edited) = sarif(dir.path(), &["."]);
    let third = results_of(&edited, &id)[0].clone();
    assert_ne!(first["partialFingerprints"]["primaryLocationLineHash"], third["partialFingerprints"]["primaryLocationLineHash"]);
}

#[test]
fn output_is_deterministic() {
    let dir = mixed_tree();
    let (a, _) = sarif(dir.path(), &[".", "--jobs", "1"]);
    let (b, _) = sarif(dir.path(), &[".", "--jobs", "4"]);
    assert_eq!(a, b, "two scans of one tree differ");

    // The same tree elsewhere: only %SRCROOT%'s absolute URI may differ.
    let other = tempfile::tempdir().unwrap();
    let copy = other.path().join("elsewhere");
    copy_tree(dir.path(), &copy);
    let (c, _) = sarif(&copy, &["."]);
    let strip = |text: &str| {
        let mut log: Value = serde_json::from_str(text).unwrap();
        let base = &mut log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"];
        base.as_object_mut().unwrap().remove("uri").expect("a uri");
        log
    };
    assert_eq!(strip(&a), strip(&c));

    // No other absolute path leaks into the log.
    for (text, root) in [(&a, dir.path()), (&c, copy.as_path())] {
        let canonical = root.canonicalize().unwrap();
        let needle = canonical.to_str().unwrap();
        assert_eq!(text.matches(needle).count(), 1, "absolute path in the log");
        assert!(!text.contains(root.to_str().unwrap()) || root == canonical);
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn sarif_output_file_matches_stdout_and_exit_codes_hold() {
    let dir = mixed_tree();
    let out = dir.path().join("out").join("exavault.sarif");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let scan = run(dir.path(), &["scan", "src", "sync", "web", "--sarif-output", out.to_str().unwrap(), "--quiet"]);
    assert_eq!(scan.code, 1, "findings mean exit code 1: {}", scan.stderr);
    assert!(scan.stdout.is_empty());
    let file = std::fs::read_to_string(&out).unwrap();
    let (stdout, log) = sarif(dir.path(), &["src", "sync", "web"]);
    assert_eq!(file, stdout);
    assert_github_ready(&log);
    // Several roots: paths are relative to the working directory, which has no URI here.
    let base = &run0(&log)["originalUriBaseIds"]["%SRCROOT%"];
    assert!(base.get("uri").is_none());
    assert!(!base["description"]["text"].as_str().unwrap().is_empty());
    assert!(results(&log).iter().any(|r| uri(r) == "sync/run.py"));

    let empty = tempfile::tempdir().unwrap();
    write(empty.path(), "plain.php", "<?php echo 'nothing to see';\n");
    let scan = run(empty.path(), &["scan", ".", "--format", "sarif"]);
    assert_eq!(scan.code, 0);
    let log: Value = serde_json::from_str(&scan.stdout).unwrap();
    assert_github_ready(&log);
    assert!(results(&log).is_empty());
}

#[test]
fn category_and_single_file_root() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app/portal.php", PHP_NON_ASCII);
    let (_, log) = sarif(dir.path(), &["."]);
    assert_eq!(run0(&log)["automationDetails"]["id"], "exavault-migration/");
    let (_, log) = sarif(dir.path(), &["app/portal.php", "--sarif-category", "exavault-migration/php/"]);
    assert_github_ready(&log);
    assert_eq!(run0(&log)["automationDetails"]["id"], "exavault-migration/php/");
    // One file: paths are relative to its folder, which gets no URI.
    assert!(run0(&log)["originalUriBaseIds"]["%SRCROOT%"].get("uri").is_none());
    assert!(results(&log).iter().all(|r| uri(r) == "portal.php"));
}

#[test]
fn low_confidence_findings_are_notes() {
    let dir = tempfile::tempdir().unwrap();
    // A common v1.x operation name with nothing else that points at ExaVault.
    write(dir.path(), "legacy.js", "function sync(client) {\n  return client.getUsers({ department: 'finance' });\n}\n");
    // A project's own wrapper around one operation: its call sites are low-confidence findings.
    write(
        dir.path(),
        "wrapper.php",
        "<?php\nrequire_once 'V1Api.php';\n$api = new V1Api(new APIClient($k, 'https://api.exavault.com'));\nfunction listFolder($api, $p) { return $api->getResourceList($t, $p); }\n$items = listFolder($api, '/');\n",
    );
    let (_, log) = sarif(dir.path(), &[".", "--min-confidence", "low"]);
    assert_github_ready(&log);
    assert_regions_match_files(&log, dir.path());
    assert!(results(&log).iter().any(|r| r["properties"]["confidence"] == "low"), "no low-confidence finding: {log:#}");
    for result in results(&log) {
        if result["properties"]["confidence"] == "low" {
            assert_eq!(result["level"], "note");
        } else {
            let rule = &rules(&log)[int(&result["ruleIndex"])];
            assert_eq!(result["level"], rule["defaultConfiguration"]["level"]);
        }
    }
}

#[cfg(unix)]
#[test]
fn skipped_files_and_warnings_become_notifications() {
    let dir = mixed_tree();
    std::os::unix::fs::symlink("src/portal/Files.php", dir.path().join("linked.php")).unwrap();
    write(
        dir.path(),
        "broken.php",
        "<?php\nrequire_once 'V1Api.php';\n$api = new V1Api(new APIClient($k, 'https://api.exavault.com'));\n$api->getUser($t, (;\n",
    );
    let (_, log) = sarif(dir.path(), &["."]);
    assert_github_ready(&log);
    let notes = run0(&log)["invocations"][0]["toolExecutionNotifications"].as_array().expect("notifications");
    let skipped = notes.iter().find(|n| n["level"] == "warning").expect("a skipped file");
    assert!(skipped["message"]["text"].as_str().unwrap().starts_with("linked.php: symbolic link"));
    assert_eq!(skipped["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "linked.php");
    let warning = notes.iter().find(|n| n["level"] == "note").expect("a warning");
    assert!(warning["message"]["text"].as_str().unwrap().starts_with("broken.php: syntax errors"));
}

#[test]
fn results_are_capped_at_25000() {
    let dir = tempfile::tempdir().unwrap();
    let extra = 7;
    let mut php = String::from("<?php\nrequire_once 'V1Api.php';\n$api = new V1Api(new APIClient($k, 'https://api.exavault.com'));\n");
    for i in 0..MAX_RESULTS + extra {
        php.push_str(&format!("$api->getUser($t{i});\n"));
    }
    write(dir.path(), "many.php", &php);
    let scan = run(dir.path(), &["scan", ".", "--format", "sarif"]);
    assert_eq!(scan.code, 1, "{}", scan.stderr);

    #[derive(serde::Deserialize)]
    struct Log {
        runs: Vec<Run>,
    }
    #[derive(serde::Deserialize)]
    struct Run {
        results: Vec<serde::de::IgnoredAny>,
        invocations: Vec<Value>,
        properties: Value,
    }
    let log: Log = serde_json::from_str(&scan.stdout).unwrap();
    assert_eq!(log.runs.len(), 1);
    let run = &log.runs[0];
    assert_eq!(run.results.len(), MAX_RESULTS);
    let dropped = int(&run.properties["results_dropped"]);
    assert!(dropped >= extra, "{dropped}");
    let notes = run.invocations[0]["toolExecutionNotifications"].as_array().unwrap();
    let text = notes
        .iter()
        .filter_map(|n| n["message"]["text"].as_str())
        .find(|t| t.contains("dropped"))
        .expect("a notification about the dropped results");
    assert!(text.starts_with(&format!("{dropped} of ")), "{text}");
}
