//! Stage 6 of the pipeline: what the scanner found, in a shape every reporter reads.

use serde::Serialize;

use crate::catalog::{Category, Effort};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A v1.x operation: an SDK method call or a raw HTTP request naming the operation.
    Call,
    /// A read or check of the `{success, error, results}` response envelope.
    EnvelopeCheck,
    /// Credentials, base URL, SDK client construction or import.
    Setup,
    /// A call of the project's own function that wraps a v1.x operation.
    WrapperCall,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Call => "call",
            Kind::EnvelopeCheck => "envelope_check",
            Kind::Setup => "setup",
            Kind::WrapperCall => "wrapper_call",
        }
    }
}

/// How sure the scanner is that the code talks to ExaVault v1.x.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum ApiVersion {
    #[serde(rename = "v1")]
    V1,
    #[serde(rename = "v1.2")]
    V1_2,
    #[serde(rename = "unknown")]
    Unknown,
}

impl ApiVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1",
            ApiVersion::V1_2 => "v1.2",
            ApiVersion::Unknown => "unknown",
        }
    }
}

/// What made the scanner believe a piece of code is ExaVault v1.x.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// The receiver of the call is a variable or property holding a v1.x SDK client.
    ReceiverIsClient,
    /// The file imports a v1.x SDK (module, namespace or vendored `V1Api`).
    SdkImport,
    /// The file constructs a v1.x SDK client.
    ClientConstructed,
    /// The literal itself holds an ExaVault / Files.com v1.x URL.
    V1UrlLiteral,
    /// The literal holds a `/v1/<operation>` or `/v1.2/<operation>` path.
    V1PathLiteral,
    /// The file holds a v1.x base URL that this literal is appended to.
    V1BaseUrlInFile,
    /// Only the name matches; nothing else in the file points at ExaVault.
    NameOnly,
    /// The file talks to another HTTP host and shows no ExaVault sign.
    OtherApiHost,
    /// The called function is defined in this file and wraps a v1.x operation call.
    WrapsOperation,
}

/// What replaces the finding on Files.com, in the file's own language.
#[derive(Debug, Clone, Serialize)]
pub struct Replacement {
    pub rest: Vec<String>,
    pub sdk: String,
    pub docs_url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule_id: String,
    pub rule_name: String,
    pub kind: Kind,
    /// The camelCase v1.x operation for calls; null otherwise.
    pub operation: Option<String>,
    /// What the rule is about: the operation, the envelope field (`error.code`) or the setup topic.
    pub subject: String,
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub language: &'static str,
    pub api_version: ApiVersion,
    pub confidence: Confidence,
    pub evidence: Vec<Evidence>,
    pub snippet: String,
    pub message: String,
    pub effort: Effort,
    pub category: Category,
    pub replacement: Replacement,
    /// Content-based fingerprint of the start line (GitHub's `primaryLocationLineHash`).
    pub fingerprint: String,
    /// Start and end columns in UTF-16 code units (SARIF's `utf16CodeUnits`).
    #[serde(skip)]
    pub utf16_columns: (usize, usize),
    /// The finding's span as byte offsets into `snippet`, for labelled diagnostics.
    #[serde(skip)]
    pub snippet_span: (usize, usize),
}

impl Finding {
    /// Sort key that makes every report deterministic: path, line, column, then rule.
    pub fn sort_key(&self) -> (&str, usize, usize, &str, usize, usize) {
        (&self.path, self.line, self.column, &self.rule_id, self.end_line, self.end_column)
    }
}
