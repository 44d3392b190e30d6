//! The rule catalog: every ExaVault v1.x operation, the envelope semantics and the setup rules,
//! each with its Files.com replacement. Knowledge lives in `catalog/exavault-v1.json`; this module
//! only loads and checks it, so adding an operation never means editing code.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The catalog compiled into the binary.
pub const EMBEDDED_CATALOG: &str = include_str!("../catalog/exavault-v1.json");
const EMBEDDED_NAME: &str = "catalog/exavault-v1.json (embedded)";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub catalog_version: u32,
    pub context: ContextMarkers,
    pub operations: Vec<Operation>,
    pub envelope_rules: Vec<EnvelopeRule>,
    pub setup_rules: Vec<SetupRule>,
}

/// Names that tell ExaVault v1.x code apart from everything else (and from ExaVault v2).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextMarkers {
    pub v1_sdk_imports: Vec<String>,
    pub generic_sdk_imports: Vec<String>,
    pub v1_client_classes: Vec<String>,
    pub distinctive_client_classes: Vec<String>,
    pub transport_client_classes: Vec<String>,
    pub v2_markers: Vec<String>,
    pub v2_python_modules: Vec<String>,
    /// Global names the v1.x browser SDK is reached through (`ExaVaultApi.UserApi`).
    #[serde(default)]
    pub sdk_globals: Vec<String>,
    /// Client classes of the 2014-16 generation, which always spoke `/v1/`.
    #[serde(default)]
    pub v1_generation_classes: Vec<String>,
    /// Parameter names of helpers that receive the envelope's error array or dict.
    #[serde(default)]
    pub error_parameter_names: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    pub id: String,
    pub name: String,
    pub group: String,
    pub availability: Availability,
    pub common_name: bool,
    pub http: HttpSpec,
    pub parameters: Vec<String>,
    pub result: String,
    pub summary: String,
    pub sdk: BTreeMap<String, Option<BTreeMap<String, Option<String>>>>,
    pub filescom: FilesComCall,
    pub legacy_docs_url: Option<String>,
    pub effort: Effort,
    pub category: Category,
    pub differences: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    AllSdks,
    JavaOnly,
    FilescomOnly,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSpec {
    pub methods: Vec<String>,
    pub path: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilesComCall {
    pub rest: Vec<String>,
    pub sdk: SdkLines,
    pub docs_url: String,
    #[serde(default = "yes")]
    pub docs_url_verified: bool,
}

fn yes() -> bool {
    true
}

/// A Files.com replacement per SDK language. TypeScript uses the JavaScript SDK.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkLines {
    pub php: String,
    pub python: String,
    pub javascript: String,
}

impl SdkLines {
    pub fn for_language(&self, sdk_language: &str) -> &str {
        match sdk_language {
            "php" => &self.php,
            "python" => &self.python,
            _ => &self.javascript,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Effort {
    pub points: u32,
    pub class: EffortClass,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EffortClass {
    Trivial,
    Moderate,
    Redesign,
}

impl EffortClass {
    pub fn as_str(self) -> &'static str {
        match self {
            EffortClass::Trivial => "trivial",
            EffortClass::Moderate => "moderate",
            EffortClass::Redesign => "redesign",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Mandatory,
    Optional,
    Potential,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Mandatory => "mandatory",
            Category::Optional => "optional",
            Category::Potential => "potential",
        }
    }
}

/// A Files.com replacement for a non-call rule: one REST idiom and one SDK idiom per language.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilesComIdiom {
    pub rest: String,
    pub sdk: SdkLines,
    pub docs_url: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeRule {
    pub id: String,
    pub name: String,
    pub subject: String,
    #[serde(default)]
    pub getters: Vec<String>,
    pub summary: String,
    pub message: String,
    pub filescom: FilesComIdiom,
    pub effort: Effort,
    pub category: Category,
    pub differences: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetupRule {
    pub id: String,
    pub name: String,
    pub subject: String,
    #[serde(default)]
    pub keys: Vec<String>,
    pub summary: String,
    pub message: String,
    pub filescom: FilesComIdiom,
    pub effort: Effort,
    pub category: Category,
    pub differences: Vec<String>,
}

/// The envelope subjects the matcher understands (the shapes of `{success, error, results}`).
pub const ENVELOPE_SUBJECTS: &[&str] = &["success", "error", "error.code", "error.message", "results"];
/// The setup subjects the matcher understands.
pub const SETUP_SUBJECTS: &[&str] = &["api_key_header", "access_token", "base_url", "sdk_client", "sdk_import"];

/// A catalog that could not be loaded, pointing at the bad spot.
#[derive(Debug, Error, Diagnostic)]
pub enum CatalogError {
    #[error("cannot read the catalog {path}: {source}")]
    #[diagnostic(code(catalog::unreadable))]
    Unreadable {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the catalog is not valid: {message}")]
    #[diagnostic(code(catalog::syntax), help("fix the catalog file; `exavault-migrate rules --format json` prints a valid one"))]
    Syntax {
        message: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("here")]
        span: SourceSpan,
    },
    #[error("the catalog is not consistent: {message}")]
    #[diagnostic(code(catalog::inconsistent), help("every rule needs a unique id and name, and the fields listed in catalog/SCHEMA.md"))]
    Inconsistent {
        message: String,
        #[source_code]
        src: NamedSource<String>,
        #[label("this entry")]
        span: SourceSpan,
    },
}

impl Catalog {
    /// The catalog compiled into the binary.
    pub fn embedded() -> Result<Catalog, CatalogError> {
        Catalog::parse(EMBEDDED_CATALOG, EMBEDDED_NAME)
    }

    pub fn from_file(path: &Path) -> Result<Catalog, CatalogError> {
        let text = std::fs::read_to_string(path).map_err(|source| CatalogError::Unreadable { path: path.display().to_string(), source })?;
        Catalog::parse(&text, &path.display().to_string())
    }

    pub fn parse(text: &str, name: &str) -> Result<Catalog, CatalogError> {
        let catalog: Catalog = serde_json::from_str(text).map_err(|err| CatalogError::Syntax {
            message: err.to_string(),
            src: NamedSource::new(name, text.to_string()),
            span: span_at(text, err.line(), err.column()),
        })?;
        catalog.check().map_err(|(message, needle)| CatalogError::Inconsistent {
            message,
            span: locate(text, &needle),
            src: NamedSource::new(name, text.to_string()),
        })?;
        Ok(catalog)
    }

    /// Consistency rules a loader can check; the first violation is returned with a piece of
    /// text to point at.
    fn check(&self) -> Result<(), (String, String)> {
        let mut ids = HashSet::new();
        let mut names = HashSet::new();
        let mut all: Vec<(&str, &str)> = Vec::new();
        for op in &self.operations {
            all.push((&op.id, &op.name));
            let needle = format!("\"{}\"", op.name);
            if op.name.is_empty() || !op.name.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err((format!("operation name {:?} must be a camelCase identifier", op.name), needle));
            }
            if op.filescom.rest.is_empty() {
                return Err((format!("operation {} has no Files.com REST endpoint", op.name), needle));
            }
            for (lang, line) in
                [("php", &op.filescom.sdk.php), ("python", &op.filescom.sdk.python), ("javascript", &op.filescom.sdk.javascript)]
            {
                if line.trim().is_empty() {
                    return Err((format!("operation {} has no Files.com {lang} SDK call", op.name), needle));
                }
            }
            if op.filescom.docs_url.is_empty() {
                return Err((format!("operation {} has no docs URL", op.name), needle));
            }
            if op.effort.points == 0 {
                return Err((format!("operation {} has no effort points", op.name), needle));
            }
        }
        for rule in &self.envelope_rules {
            all.push((&rule.id, &rule.name));
            if !ENVELOPE_SUBJECTS.contains(&rule.subject.as_str()) {
                return Err((
                    format!("envelope rule {} has unknown subject {:?} (known: {})", rule.id, rule.subject, ENVELOPE_SUBJECTS.join(", ")),
                    format!("\"{}\"", rule.subject),
                ));
            }
        }
        for rule in &self.setup_rules {
            all.push((&rule.id, &rule.name));
            if !SETUP_SUBJECTS.contains(&rule.subject.as_str()) {
                return Err((
                    format!("setup rule {} has unknown subject {:?} (known: {})", rule.id, rule.subject, SETUP_SUBJECTS.join(", ")),
                    format!("\"{}\"", rule.subject),
                ));
            }
        }
        for (id, name) in all {
            if id.is_empty() || !ids.insert(id) {
                return Err((format!("rule id {id:?} is empty or used twice"), format!("\"{id}\"")));
            }
            if !names.insert(name) {
                return Err((format!("rule name {name:?} is used twice"), format!("\"{name}\"")));
            }
            if id == name {
                return Err((format!("rule {id} needs a name that differs from its id"), format!("\"{id}\"")));
            }
        }
        Ok(())
    }

    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.iter().find(|op| op.name == name || snake_case(&op.name) == name)
    }

    pub fn envelope_rule(&self, subject: &str) -> Option<&EnvelopeRule> {
        self.envelope_rules.iter().find(|r| r.subject == subject)
    }

    pub fn setup_rule(&self, subject: &str) -> Option<&SetupRule> {
        self.setup_rules.iter().find(|r| r.subject == subject)
    }
}

/// `getResourceList` -> `get_resource_list`, the Python SDK spelling.
pub fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Byte span of a 1-based line/column position reported by serde_json.
fn span_at(text: &str, line: usize, column: usize) -> SourceSpan {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let col = column.saturating_sub(1).min(l.len());
            offset += col;
            break;
        }
        offset += l.len();
    }
    let offset = offset.min(text.len());
    let len = usize::from(offset < text.len());
    (offset, len).into()
}

fn locate(text: &str, needle: &str) -> SourceSpan {
    match text.find(needle) {
        Some(at) => (at, needle.len()).into(),
        None => (0, 0).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_matches_python_sdk_spelling() {
        assert_eq!(snake_case("getResourceList"), "get_resource_list");
        assert_eq!(snake_case("getUploadFileUrl"), "get_upload_file_url");
        assert_eq!(snake_case("upload"), "upload");
    }
}
