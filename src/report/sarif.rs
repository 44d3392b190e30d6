//! SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning, the VS Code SARIF viewer).
//!
//! One log, one run, one rule per catalog rule (operations, envelope rules, setup rules, in
//! catalog order, so `ruleIndex` is the same whatever was found), one result per finding in the
//! report's order. The structs below are the subset of SARIF this tool writes: fields GitHub
//! requires are plain (non-optional) values, and serde keeps the declaration order, so the output
//! is stable. Like the other reporters this is a pure function of the report and the catalog;
//! the only machine-dependent value is the `%SRCROOT%` base URI (the canonical scanned folder).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::catalog::{Availability, Catalog, Category, Effort, FilesComIdiom, Operation, SdkLines};
use crate::finding::{ApiVersion, Confidence, Evidence, Finding, Kind, Replacement};
use crate::scan::ScanReport;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const SARIF_VERSION: &str = "2.1.0";
/// GitHub rejects runs with more results than this.
pub const MAX_RESULTS: usize = 25_000;
/// GitHub keeps at most this many tags per rule.
pub const MAX_TAGS: usize = 20;
/// GitHub's limit for `shortDescription` and `fullDescription`.
pub const MAX_DESCRIPTION: usize = 1024;
/// The base id every relative artifact URI is resolved against.
pub const SRCROOT: &str = "%SRCROOT%";

// ---------------------------------------------------------------------------------------------
// The SARIF object model (the part of it this tool writes).

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    automation_details: AutomationDetails,
    original_uri_base_ids: OriginalUriBaseIds,
    column_kind: &'static str,
    invocations: [Invocation; 1],
    results: Vec<SarifResult<'a>>,
    properties: RunProperties,
}

#[derive(Serialize)]
struct Tool {
    driver: ToolComponent,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ToolComponent {
    name: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help_uri: String,
    help: MultiformatMessage,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct MultiformatMessage {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
    precision: &'static str,
    /// Written as the flat key `problem.severity`, as GitHub's documentation and CodeQL do.
    #[serde(rename = "problem.severity")]
    problem_severity: &'static str,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: String,
}

#[derive(Serialize)]
struct OriginalUriBaseIds {
    #[serde(rename = "%SRCROOT%")]
    srcroot: BaseUri,
}

#[derive(Serialize)]
struct BaseUri {
    #[serde(skip_serializing_if = "Option::is_none")]
    uri: Option<String>,
    description: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    partial_fingerprints: Option<PartialFingerprints<'a>>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
    #[serde(skip_serializing_if = "Option::is_none")]
    context_region: Option<ContextRegion>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ContextRegion {
    start_line: usize,
    end_line: usize,
    snippet: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PartialFingerprints<'a> {
    primary_location_line_hash: &'a str,
}

/// The finding's own data, with the JSON report's field names.
#[derive(Serialize)]
struct ResultProperties<'a> {
    operation: Option<&'a str>,
    subject: &'a str,
    kind: Kind,
    language: &'a str,
    confidence: Confidence,
    evidence: &'a [Evidence],
    effort: &'a Effort,
    category: Category,
    api_version: ApiVersion,
    replacement: &'a Replacement,
}

#[derive(Serialize)]
struct RunProperties {
    catalog_version: u32,
    min_confidence: &'static str,
    below_min_confidence: usize,
    files_scanned: usize,
    results_dropped: usize,
}

// ---------------------------------------------------------------------------------------------
// Rendering.

/// Renders the SARIF log of a scan. `category` becomes `automationDetails.id`.
pub fn render(report: &ScanReport, catalog: &Catalog, category: &str) -> String {
    let rules = rules(catalog);
    let index: HashMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect();
    let kept = report.findings.len().min(MAX_RESULTS);
    let dropped = report.findings.len() - kept;
    let results = report.findings[..kept].iter().map(|f| result(f, index.get(f.rule_id.as_str()).copied())).collect();

    let mut notifications = Vec::new();
    for skip in &report.skipped {
        notifications.push(Notification {
            level: "warning",
            message: text(sentence(&format!("{}: {}", skip.path, skip.reason))),
            locations: vec![file_location(&skip.path)],
        });
    }
    for warning in &report.warnings {
        notifications.push(Notification {
            level: "note",
            message: text(sentence(&format!("{}: {}", warning.path, warning.reason))),
            locations: vec![file_location(&warning.path)],
        });
    }
    if dropped > 0 {
        notifications.push(Notification {
            level: "warning",
            message: text(format!(
                "{dropped} of {} results were dropped: GitHub code scanning accepts at most {MAX_RESULTS} results per run, so only the first {MAX_RESULTS} (by path, line and column) are in this log. Scan fewer folders per run (with a different --sarif-category each) or raise --min-confidence to see the rest.",
                report.findings.len()
            )),
            locations: Vec::new(),
        });
    }

    let log = Log {
        schema: SCHEMA_URI,
        version: SARIF_VERSION,
        runs: [Run {
            tool: Tool {
                driver: ToolComponent {
                    name: env!("CARGO_PKG_NAME"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules,
                },
            },
            automation_details: AutomationDetails { id: category.to_string() },
            original_uri_base_ids: OriginalUriBaseIds { srcroot: srcroot(&report.roots) },
            column_kind: "utf16CodeUnits",
            invocations: [Invocation { execution_successful: true, tool_execution_notifications: notifications }],
            results,
            properties: RunProperties {
                catalog_version: catalog.catalog_version,
                min_confidence: report.min_confidence.as_str(),
                below_min_confidence: report.stats.below_min_confidence,
                files_scanned: report.stats.files_scanned,
                results_dropped: dropped,
            },
        }],
    };
    let mut out = serde_json::to_string_pretty(&log).expect("SARIF serializes");
    out.push('\n');
    out
}

fn text(s: impl Into<String>) -> Text {
    Text { text: s.into() }
}

/// Ends a plain-text message with a period (SARIF2001), unless it already ends a sentence.
fn sentence(s: &str) -> String {
    let s = s.trim_end();
    if s.ends_with(['.', '!', '?']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

/// Cuts a description to GitHub's limit, on a character boundary.
fn limit(s: String, max: usize) -> String {
    if s.chars().count() <= max {
        return s;
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

// ---------------------------------------------------------------------------------------------
// Results.

fn result(f: &Finding, rule_index: Option<usize>) -> SarifResult<'_> {
    let level = if f.confidence == Confidence::Low { "note" } else { default_level(f.category) };
    let (uri, uri_base_id) = artifact_uri(&f.path);
    let (region_snippet, context) = snippets(f);
    SarifResult {
        rule_id: &f.rule_id,
        rule_index,
        level,
        message: text(result_message(f)),
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri, uri_base_id },
                region: Some(Region {
                    start_line: f.line,
                    start_column: f.utf16_columns.0.max(1),
                    end_line: f.end_line,
                    end_column: f.utf16_columns.1.max(1),
                    snippet: region_snippet.map(text),
                }),
                context_region: context,
            },
        }],
        partial_fingerprints: (!f.fingerprint.is_empty()).then_some(PartialFingerprints { primary_location_line_hash: &f.fingerprint }),
        properties: ResultProperties {
            operation: f.operation.as_deref(),
            subject: &f.subject,
            kind: f.kind,
            language: f.language,
            confidence: f.confidence,
            evidence: &f.evidence,
            effort: &f.effort,
            category: f.category,
            api_version: f.api_version,
            replacement: &f.replacement,
        },
    }
}

fn default_level(category: Category) -> &'static str {
    match category {
        Category::Mandatory => "warning",
        Category::Optional | Category::Potential => "note",
    }
}

/// "must" / "should" / "may need to", by how sure the catalog is that the code has to change.
fn modal(category: Category) -> &'static str {
    match category {
        Category::Mandatory => "must",
        Category::Optional => "should",
        Category::Potential => "may need to",
    }
}

fn envelope_label(subject: &str) -> String {
    match subject {
        "success" => "success flag".into(),
        "error" => "error object".into(),
        "error.code" => "error code".into(),
        "error.message" => "error message".into(),
        "results" => "results field".into(),
        other => other.replace(['_', '.'], " "),
    }
}

fn setup_label(subject: &str) -> String {
    match subject {
        "api_key_header" => "API key header".into(),
        "access_token" => "access token parameter".into(),
        "base_url" => "endpoint URL".into(),
        "sdk_client" => "SDK client".into(),
        "sdk_import" => "SDK import".into(),
        other => other.replace(['_', '.'], " "),
    }
}

/// The alert title: one sentence that says what was found and that it has to change.
fn title(kind: Kind, subject: &str, category: Category) -> String {
    let modal = modal(category);
    match kind {
        Kind::Call => format!("ExaVault v1.x call `{subject}` {modal} move to Files.com."),
        Kind::EnvelopeCheck => {
            format!("ExaVault v1.x response envelope {} (`{subject}`) {modal} change for Files.com.", envelope_label(subject))
        }
        Kind::Setup => format!("ExaVault v1.x {} {modal} change for Files.com.", setup_label(subject)),
        Kind::WrapperCall => format!("Call of a project wrapper around ExaVault v1.x `{subject}` {modal} change with it."),
    }
}

fn sdk_label(language: &str) -> &'static str {
    match language {
        "php" => "PHP",
        "python" => "Python",
        _ => "JavaScript",
    }
}

/// Title first (GitHub shows the first sentence as the alert title), then what the code does,
/// the Files.com replacement in the file's language, and why the scanner thinks so.
fn result_message(f: &Finding) -> String {
    let mut out = title(f.kind, &f.subject, f.category);
    // The title already names the call; the rest of the finding's message is the detail.
    let details = match &f.operation {
        Some(op) => f.message.replacen(&format!("ExaVault v1.x call `{op}`: "), "", 1),
        None => f.message.clone(),
    };
    let _ = write!(out, " {}", sentence(&details));
    let sdk = f.replacement.sdk.trim();
    let sep = if sdk.contains('\n') { "\n" } else { " " };
    let _ = write!(
        out,
        "\nFiles.com {} SDK:{sep}{sdk}\nDocs: {}\nConfidence: {}",
        sdk_label(f.language),
        f.replacement.docs_url,
        f.confidence.as_str()
    );
    let evidence: Vec<&str> = f.evidence.iter().map(|e| evidence_text(*e)).collect();
    if !evidence.is_empty() {
        let _ = write!(out, " ({})", evidence.join("; "));
    }
    out.push('.');
    out
}

/// Why the scanner believes the code is ExaVault v1.x, in words.
fn evidence_text(e: Evidence) -> &'static str {
    let key = serde_json::to_value(e).ok();
    match key.as_ref().and_then(|v| v.as_str()).unwrap_or("") {
        "receiver_is_client" => "the receiver holds a v1.x SDK client",
        "sdk_import" => "the file imports a v1.x SDK",
        "client_constructed" => "the file constructs a v1.x SDK client",
        "v1_url_literal" => "the literal is an ExaVault v1.x URL",
        "v1_path_literal" => "the literal is a v1.x operation path",
        "v1_base_url_in_file" => "the file holds a v1.x base URL",
        "name_only" => "only the name matches",
        "other_api_host" => "the file talks to another API host",
        "wraps_operation" => "the called function is defined in this file and wraps a v1.x call",
        _ => "other signs of ExaVault v1.x",
    }
}

/// `region.snippet` (exactly the region's text) and a `contextRegion` with the whole source
/// lines, when the finding's snippet holds them. The snippet is cut for long or minified lines
/// and after five lines; then the parts that would not be exact are left out.
fn snippets(f: &Finding) -> (Option<String>, Option<ContextRegion>) {
    let snippet = f.snippet.as_str();
    let (a, b) = f.snippet_span;
    let (Some(before), Some(inside)) = (snippet.get(..a), snippet.get(a..b)) else {
        return (None, None);
    };
    let units = |s: &str| s.encode_utf16().count();
    let (start, end) = f.utf16_columns;
    let lines = snippet.split('\n').count();
    let last_line = f.line + lines - 1;
    // The snippet starts at the start of the line (no "…" window) ...
    let starts_at_line_start = !before.contains('\n') && units(before) + 1 == start;
    // ... and holds the whole region.
    let whole_region = f.end_line <= last_line && (f.end_line != f.line || units(inside) == end.saturating_sub(start));
    if !starts_at_line_start || !whole_region || inside.is_empty() {
        return (None, None);
    }
    let cut_at_end = lines == 1 && snippet.ends_with('…');
    let context =
        (!cut_at_end && snippet != inside).then(|| ContextRegion { start_line: f.line, end_line: last_line, snippet: text(snippet) });
    (Some(inside.to_string()), context)
}

// ---------------------------------------------------------------------------------------------
// URIs.

fn file_location(path: &str) -> Location {
    let (uri, uri_base_id) = artifact_uri(path);
    Location {
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri, uri_base_id },
            region: None,
            context_region: None,
        },
    }
}

/// A report path as an artifact URI: relative paths are percent-encoded relative references
/// against `%SRCROOT%`; absolute ones (possible only when several absolute roots were given)
/// become `file://` URIs without a base.
pub fn artifact_uri(path: &str) -> (String, Option<&'static str>) {
    let path = path.replace('\\', "/");
    if path.starts_with('/') {
        return (format!("file://{}", encode_path(&path, false)), None);
    }
    if is_drive_path(&path) {
        return (format!("file:///{}", encode_path(&path, true)), None);
    }
    let mut rel = path.as_str();
    while let Some(rest) = rel.strip_prefix("./") {
        rel = rest;
    }
    (encode_path(rel, false), Some(SRCROOT))
}

fn is_drive_path(path: &str) -> bool {
    let b = path.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/'
}

/// Percent-encodes everything a URI path may not hold literally. `:` is always encoded (in a
/// relative reference's first segment it would read as a scheme), except in a drive letter.
pub fn encode_path(path: &str, drive: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, byte) in path.bytes().enumerate() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&byte) || (drive && i == 1 && byte == b':');
        if keep {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// `%SRCROOT%`: the canonical scanned folder as a `file://` URI when exactly one folder was
/// scanned; otherwise only a description (paths are then relative to the working directory,
/// or to the scanned file's folder).
fn srcroot(roots: &[String]) -> BaseUri {
    if let [root] = roots {
        let path = Path::new(root);
        if path.is_dir() {
            if let Some(uri) = path.canonicalize().ok().and_then(|p| dir_uri(&p)) {
                return BaseUri { uri: Some(uri), description: text("The folder that was scanned; result paths are relative to it.") };
            }
            return BaseUri { uri: None, description: text("The folder that was scanned; result paths are relative to it.") };
        }
        return BaseUri { uri: None, description: text("The folder that holds the scanned file; result paths are relative to it.") };
    }
    BaseUri { uri: None, description: text("The working directory of the scan; result paths are relative to it.") }
}

fn dir_uri(path: &Path) -> Option<String> {
    let s = path.to_str()?.replace('\\', "/");
    let s = s.strip_prefix("//?/").unwrap_or(&s);
    let mut uri = if s.starts_with('/') {
        format!("file://{}", encode_path(s, false))
    } else if is_drive_path(s) {
        format!("file:///{}", encode_path(s, true))
    } else {
        return None;
    };
    if !uri.ends_with('/') {
        uri.push('/');
    }
    Some(uri)
}

// ---------------------------------------------------------------------------------------------
// Rules.

fn rules(catalog: &Catalog) -> Vec<ReportingDescriptor> {
    let mut rules = Vec::new();
    for op in &catalog.operations {
        rules.push(operation_rule(op));
    }
    for r in &catalog.envelope_rules {
        rules.push(idiom_rule(IdiomRule {
            id: &r.id,
            name: &r.name,
            kind: Kind::EnvelopeCheck,
            subject: &r.subject,
            names: &r.getters,
            summary: &r.summary,
            message: &r.message,
            filescom: &r.filescom,
            effort: &r.effort,
            category: r.category,
            differences: &r.differences,
        }));
    }
    for r in &catalog.setup_rules {
        rules.push(idiom_rule(IdiomRule {
            id: &r.id,
            name: &r.name,
            kind: Kind::Setup,
            subject: &r.subject,
            names: &r.keys,
            summary: &r.summary,
            message: &r.message,
            filescom: &r.filescom,
            effort: &r.effort,
            category: r.category,
            differences: &r.differences,
        }));
    }
    rules
}

/// `getResourceList` -> `GetResourceListCall`: a PascalCase rule name that differs from the id.
pub fn operation_rule_name(operation: &str) -> String {
    let mut chars = operation.chars();
    let mut out = String::with_capacity(operation.len() + 4);
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
    }
    out.extend(chars);
    out.push_str("Call");
    out
}

fn tags(items: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !item.is_empty() && !out.iter().any(|t| t == item) {
            out.push((*item).to_string());
        }
    }
    out.truncate(MAX_TAGS);
    out
}

fn problem_severity(category: Category) -> &'static str {
    match category {
        Category::Mandatory => "warning",
        Category::Optional | Category::Potential => "recommendation",
    }
}

fn operation_rule(op: &Operation) -> ReportingDescriptor {
    let availability = match op.availability {
        Availability::AllSdks => "",
        Availability::JavaOnly => "java-only",
        Availability::FilescomOnly => "filescom-only",
    };
    let short = format!(
        "ExaVault v1.x call `{}` ({} {}) {} move to Files.com.",
        op.name,
        op.http.methods.join("/"),
        op.http.path,
        modal(op.category)
    );
    let full = format!("{} On Files.com: {}.", sentence(&op.summary), op.filescom.rest.join(", then "));
    ReportingDescriptor {
        id: op.id.clone(),
        name: operation_rule_name(&op.name),
        short_description: text(limit(short, MAX_DESCRIPTION)),
        full_description: text(limit(full, MAX_DESCRIPTION)),
        help_uri: op.filescom.docs_url.clone(),
        help: MultiformatMessage { text: operation_help_text(op), markdown: operation_help_markdown(op) },
        default_configuration: Configuration { level: default_level(op.category) },
        properties: RuleProperties {
            tags: tags(&[&op.group, "call", op.category.as_str(), op.effort.class.as_str(), availability, "exavault-v1", "migration"]),
            precision: if op.common_name { "medium" } else { "high" },
            problem_severity: problem_severity(op.category),
        },
    }
}

/// The v1.x SDK spellings of an operation: (generation, language, call).
fn legacy_sdk_calls(op: &Operation) -> Vec<(&str, &str, &str)> {
    let mut out: Vec<(&str, &str, &str)> = Vec::new();
    for (generation, langs) in &op.sdk {
        let Some(langs) = langs else { continue };
        for (lang, call) in langs {
            if let Some(call) = call {
                out.push((generation.as_str(), lang.as_str(), call.as_str()));
            }
        }
    }
    // Oldest client generation first (they end in their year), then PHP, Python, JS, Java.
    let year = |g: &str| g.rsplit('_').next().and_then(|y| y.parse::<u32>().ok());
    let lang_rank = |l: &str| ["php", "python", "javascript", "java"].iter().position(|x| *x == l).unwrap_or(usize::MAX);
    out.sort_by_key(|(g, l, _)| (year(g), *g, lang_rank(l)));
    out
}

fn language_label(lang: &str) -> &str {
    match lang {
        "php" => "PHP",
        "python" => "Python",
        "javascript" => "JavaScript",
        "java" => "Java",
        other => other,
    }
}

fn effort_line(effort: &Effort, category: Category) -> String {
    format!(
        "Effort: {} ({} point{}), {} change.",
        effort.class.as_str(),
        effort.points,
        if effort.points == 1 { "" } else { "s" },
        category.as_str()
    )
}

/// The plain-text help of an operation rule is the operation's migration guide, the same text
/// `exavault-migrate explain` prints.
fn operation_help_text(op: &Operation) -> String {
    crate::rules::explain(op).trim_end().to_string()
}

fn operation_help_markdown(op: &Operation) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "**ExaVault v1.x `{}`** ({}, {} group): {}\n", op.name, op.id, op.group, md_text(&sentence(&op.summary)));
    let _ = writeln!(out, "### What the code does today\n");
    let _ = writeln!(out, "| | ExaVault v1.x |\n|---|---|");
    let _ = writeln!(out, "| HTTP | {} |", cell(&code(&format!("{} {}", op.http.methods.join("|"), op.http.path))));
    if !op.parameters.is_empty() {
        let params: Vec<String> = op.parameters.iter().map(|p| code(p)).collect();
        let _ = writeln!(out, "| Parameters | {} |", cell(&params.join(", ")));
    }
    let _ = writeln!(out, "| Result | {} |", cell(&md_text(&op.result)));
    for (generation, lang, call) in legacy_sdk_calls(op) {
        let _ = writeln!(out, "| SDK ({generation}, {}) | {} |", language_label(lang), cell(&code(call)));
    }
    let _ = writeln!(out, "\n### Files.com replacement\n");
    let _ = writeln!(out, "| | Files.com |\n|---|---|");
    for rest in &op.filescom.rest {
        let _ = writeln!(out, "| REST | {} |", cell(&code(rest)));
    }
    let _ = writeln!(
        out,
        "| Docs | [{}]({}){} |",
        md_text(&op.filescom.docs_url),
        op.filescom.docs_url,
        if op.filescom.docs_url_verified { "" } else { " (page not verified)" }
    );
    out.push('\n');
    sdk_markdown(&mut out, &op.filescom.sdk);
    differences_markdown(&mut out, &op.differences);
    let _ = writeln!(out, "\n{}", effort_line(&op.effort, op.category));
    if let Some(legacy) = &op.legacy_docs_url {
        let _ = writeln!(out, "\n[ExaVault v1.x documentation]({legacy})");
    }
    out.trim_end().to_string()
}

/// An envelope or setup rule: the parts both kinds share.
struct IdiomRule<'c> {
    id: &'c str,
    name: &'c str,
    kind: Kind,
    subject: &'c str,
    names: &'c [String],
    summary: &'c str,
    message: &'c str,
    filescom: &'c FilesComIdiom,
    effort: &'c Effort,
    category: Category,
    differences: &'c [String],
}

fn idiom_rule(r: IdiomRule<'_>) -> ReportingDescriptor {
    let (group, precision, names_label) = match r.kind {
        Kind::EnvelopeCheck => ("envelope", "medium", "Getters"),
        _ => ("setup", "high", "Keys"),
    };
    // Catalog names of envelope and setup rules are PascalCase already; a name equal to the id
    // (which the catalog loader rejects anyway) would get a suffix.
    let name = if r.name == r.id { format!("{}Rule", r.name) } else { r.name.to_string() };

    let mut help = String::new();
    let _ = writeln!(help, "{} ({}, {} rule)", r.name, r.id, group);
    let _ = writeln!(help, "{}", sentence(r.summary));
    let _ = writeln!(help, "\nWhat the code does today (ExaVault v1.x)");
    let _ = writeln!(help, "  {}", sentence(r.message));
    if !r.names.is_empty() {
        let _ = writeln!(help, "  {names_label}: {}", r.names.join(", "));
    }
    let _ = writeln!(help, "\nFiles.com replacement");
    let _ = writeln!(help, "  REST:       {}", r.filescom.rest);
    sdk_text(&mut help, &r.filescom.sdk);
    let _ = writeln!(help, "  Docs:       {}", r.filescom.docs_url);
    differences_text(&mut help, r.differences);
    let _ = writeln!(help, "\n{}", effort_line(r.effort, r.category));

    let mut md = String::new();
    let _ = writeln!(md, "**{}** ({}, {} rule): {}\n", r.name, r.id, group, md_text(&sentence(r.summary)));
    let _ = writeln!(md, "### What the code does today\n");
    let _ = writeln!(md, "{}", md_text(&sentence(r.message)));
    if !r.names.is_empty() {
        let names: Vec<String> = r.names.iter().map(|n| code(n)).collect();
        let _ = writeln!(md, "\n{names_label}: {}", names.join(", "));
    }
    let _ = writeln!(md, "\n### Files.com replacement\n");
    let _ = writeln!(md, "| | Files.com |\n|---|---|");
    let _ = writeln!(md, "| REST | {} |", cell(&md_text(&r.filescom.rest)));
    let _ = writeln!(md, "| Docs | [{}]({}) |", md_text(&r.filescom.docs_url), r.filescom.docs_url);
    md.push('\n');
    sdk_markdown(&mut md, &r.filescom.sdk);
    differences_markdown(&mut md, r.differences);
    let _ = writeln!(md, "\n{}", effort_line(r.effort, r.category));

    ReportingDescriptor {
        id: r.id.to_string(),
        name,
        short_description: text(limit(title(r.kind, r.subject, r.category), MAX_DESCRIPTION)),
        full_description: text(limit(
            format!("{} On Files.com: {}.", sentence(r.summary), r.filescom.rest.trim_end_matches('.')),
            MAX_DESCRIPTION,
        )),
        help_uri: r.filescom.docs_url.clone(),
        help: MultiformatMessage { text: help.trim_end().to_string(), markdown: md.trim_end().to_string() },
        default_configuration: Configuration { level: default_level(r.category) },
        properties: RuleProperties {
            tags: tags(&[group, r.category.as_str(), r.effort.class.as_str(), "exavault-v1", "migration"]),
            precision,
            problem_severity: problem_severity(r.category),
        },
    }
}

const SDK_LANGUAGES: [(&str, &str); 3] = [("PHP", "php"), ("Python", "python"), ("JavaScript", "javascript")];

fn sdk_line<'a>(sdk: &'a SdkLines, lang: &str) -> &'a str {
    sdk.for_language(lang).trim()
}

fn sdk_text(out: &mut String, sdk: &SdkLines) {
    for (label, lang) in SDK_LANGUAGES {
        let line = sdk_line(sdk, lang);
        let head = format!("  {label}:");
        if line.contains('\n') {
            let _ = writeln!(out, "{head}");
            for l in line.lines() {
                let _ = writeln!(out, "      {l}");
            }
        } else {
            let _ = writeln!(out, "{head:14}{line}");
        }
    }
}

fn sdk_markdown(out: &mut String, sdk: &SdkLines) {
    for (label, lang) in SDK_LANGUAGES {
        let line = sdk_line(sdk, lang);
        let fence = fence_for(line);
        let _ = writeln!(out, "**{label} SDK**\n\n{fence}{lang}\n{line}\n{fence}\n");
    }
}

fn differences_text(out: &mut String, differences: &[String]) {
    if differences.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nWhat changes");
    for d in differences {
        let _ = writeln!(out, "  - {d}");
    }
}

fn differences_markdown(out: &mut String, differences: &[String]) {
    if differences.is_empty() {
        return;
    }
    let _ = writeln!(out, "### What changes\n");
    for d in differences {
        let _ = writeln!(out, "- {}", md_text(d));
    }
}

/// Longest run of backticks in `s`.
fn backtick_run(s: &str) -> usize {
    let mut best = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

/// A fence longer than any backtick run inside the code block.
fn fence_for(code: &str) -> String {
    "`".repeat(backtick_run(code).max(2) + 1)
}

/// An inline code span that survives backticks inside.
fn code(s: &str) -> String {
    let ticks = "`".repeat(backtick_run(s) + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') { " " } else { "" };
    format!("{ticks}{pad}{s}{pad}{ticks}")
}

/// Plain catalog prose in markdown: angle brackets (`<subdomain>`) would read as HTML.
fn md_text(s: &str) -> String {
    s.replace('<', "&lt;")
}

/// A table cell: pipes escaped (GitHub also honours `\|` inside code spans), one line.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_pascal_case_and_differ_from_ids() {
        assert_eq!(operation_rule_name("getResourceList"), "GetResourceListCall");
        assert_eq!(operation_rule_name("upload"), "UploadCall");
    }

    #[test]
    fn relative_paths_are_percent_encoded_references() {
        assert_eq!(artifact_uri("src/my file#1.php"), ("src/my%20file%231.php".to_string(), Some(SRCROOT)));
        assert_eq!(artifact_uri("./a:b/ü.py"), ("a%3Ab/%C3%BC.py".to_string(), Some(SRCROOT)));
        assert_eq!(artifact_uri("/abs/x.js"), ("file:///abs/x.js".to_string(), None));
        assert_eq!(artifact_uri("C:\\work\\x.js"), ("file:///C:/work/x.js".to_string(), None));
    }

    #[test]
    fn code_spans_survive_backticks_and_pipes() {
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(cell("`a|b`"), "`a\\|b`");
        assert_eq!(fence_for("x = `y`"), "```");
        assert_eq!(fence_for("```"), "````");
    }

    #[test]
    fn descriptions_are_cut_to_the_limit() {
        let long = "x".repeat(2000);
        let cut = limit(long, MAX_DESCRIPTION);
        assert_eq!(cut.chars().count(), MAX_DESCRIPTION);
        assert_eq!(limit("short".into(), MAX_DESCRIPTION), "short");
    }

    #[test]
    fn every_embedded_rule_is_github_ready() {
        let catalog = Catalog::embedded().unwrap();
        let rules = rules(&catalog);
        assert_eq!(rules.len(), catalog.operations.len() + catalog.envelope_rules.len() + catalog.setup_rules.len());
        for r in &rules {
            assert_ne!(r.id, r.name);
            assert!(r.name.starts_with(|c: char| c.is_ascii_uppercase()), "{}", r.name);
            assert!(r.short_description.text.chars().count() <= MAX_DESCRIPTION);
            assert!(r.full_description.text.chars().count() <= MAX_DESCRIPTION);
            assert!(!r.help.text.is_empty() && !r.help.markdown.is_empty());
            assert!(r.properties.tags.len() <= MAX_TAGS);
            assert!(r.help_uri.starts_with("https://"));
        }
    }
}
