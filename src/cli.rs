//! Command line: `scan`, `rules`, `explain`. Exit codes: 0 no findings, 1 findings, 2 error.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use miette::Result;

use crate::catalog::Catalog;
use crate::finding::Confidence;
use crate::language::{language_names, Lang, LANGUAGES};
use crate::output::{write_atomic, write_stdout};
use crate::report::{json, sarif, text};
use crate::scan::{scan, Progress, ScanOptions, DEFAULT_MAX_FILESIZE};
use crate::walk::WalkOptions;

const EXIT_CODES: &str = "Exit codes:\n  0  no findings at or above --min-confidence\n  1  findings reported\n  2  error: bad arguments, unreadable root, broken catalog";

#[derive(Debug, Parser)]
#[command(name = "exavault-migrate", version, about = "Find ExaVault API v1.x calls and envelope checks, and say what replaces them on Files.com", after_help = EXIT_CODES)]
pub struct Cli {
    /// Use this rule catalog instead of the built-in one (see catalog/SCHEMA.md).
    #[arg(long, global = true, value_name = "FILE")]
    pub catalog: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and folders for ExaVault v1.x code.
    #[command(after_help = EXIT_CODES)]
    Scan(ScanArgs),
    /// List the catalog: every v1.x operation, envelope and setup rule, and its Files.com equivalent.
    Rules {
        #[arg(long, value_enum, default_value_t = CatalogFormat::Text)]
        format: CatalogFormat,
    },
    /// Show one operation's migration guide (camelCase or snake_case name, or rule id).
    Explain { operation: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CatalogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// Files or folders to scan.
    #[arg(default_value = ".", value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Report format on standard output (or in --output).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to FILE instead of standard output (atomically).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write the JSON report to FILE.
    #[arg(long, value_name = "FILE")]
    pub json_output: Option<PathBuf>,
    /// Also write the SARIF report to FILE.
    #[arg(long, value_name = "FILE")]
    pub sarif_output: Option<PathBuf>,
    /// SARIF automationDetails category (must end with '/' or name a run).
    #[arg(long, default_value = "exavault-migration/", value_name = "CATEGORY")]
    pub sarif_category: String,
    /// Worker threads (default: one per core).
    #[arg(long, short, default_value_t = 0, value_name = "N")]
    pub jobs: usize,
    /// Skip paths matching GLOB (gitignore syntax; repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Scan files that .gitignore, .ignore or hidden-file rules would skip.
    #[arg(long)]
    pub no_ignore: bool,
    /// Follow symbolic links.
    #[arg(long)]
    pub follow: bool,
    /// Only these languages (comma-separated): php, python, javascript, typescript.
    #[arg(long, value_delimiter = ',', value_name = "LANGS")]
    pub lang: Vec<String>,
    /// Report findings at or above this confidence.
    #[arg(long, value_enum, default_value_t = Confidence::Medium)]
    pub min_confidence: Confidence,
    /// Skip files larger than this many bytes (default 4 MiB).
    #[arg(long, default_value_t = DEFAULT_MAX_FILESIZE, value_name = "BYTES")]
    pub max_filesize: u64,
    /// Parse every file instead of only those the literal prefilter lets through.
    #[arg(long)]
    pub no_prefilter: bool,
    /// Give up parsing a file after this many milliseconds.
    #[arg(long, default_value_t = 10_000, value_name = "MS")]
    pub parse_timeout_ms: u64,
    /// Colours in the terminal report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print nothing on standard output; the exit code and report files still tell.
    #[arg(long, short)]
    pub quiet: bool,
}

fn load_catalog(path: &Option<PathBuf>) -> Result<Catalog> {
    Ok(match path {
        Some(p) => Catalog::from_file(p)?,
        None => Catalog::embedded()?,
    })
}

/// Runs the command line and returns the process exit code.
pub fn run(cli: Cli) -> Result<i32> {
    let catalog = load_catalog(&cli.catalog)?;
    match cli.command {
        Command::Rules { format } => {
            let out = match format {
                CatalogFormat::Text => crate::rules::render_text(&catalog),
                CatalogFormat::Json => crate::rules::render_json(&catalog),
            };
            write_stdout(&out)?;
            Ok(0)
        }
        Command::Explain { operation } => match crate::rules::find(&catalog, &operation) {
            Some(op) => {
                write_stdout(&crate::rules::explain(op))?;
                Ok(0)
            }
            None => Err(miette::miette!(
                code = "explain::unknown",
                help = "`exavault-migrate rules` lists every operation",
                "{operation:?} is not an ExaVault v1.x operation"
            )),
        },
        Command::Scan(args) => run_scan(&catalog, args),
    }
}

fn parse_languages(names: &[String]) -> Result<Vec<Lang>> {
    let mut langs = Vec::new();
    for name in names {
        let name = name.trim().to_ascii_lowercase();
        let name = match name.as_str() {
            "js" => "javascript",
            "ts" => "typescript",
            "py" => "python",
            other => other,
        };
        let matching: Vec<Lang> = LANGUAGES.iter().filter(|s| s.name == name).map(|s| s.lang).collect();
        if matching.is_empty() {
            return Err(miette::miette!(code = "scan::lang", "unknown language {name:?} (known: {})", language_names().join(", ")));
        }
        langs.extend(matching);
    }
    Ok(langs)
}

fn run_scan(catalog: &Catalog, args: ScanArgs) -> Result<i32> {
    let options = ScanOptions {
        roots: args.paths.clone(),
        walk: WalkOptions {
            no_ignore: args.no_ignore,
            excludes: args.exclude.clone(),
            languages: parse_languages(&args.lang)?,
            follow_links: args.follow,
        },
        jobs: args.jobs,
        max_filesize: args.max_filesize,
        min_confidence: args.min_confidence,
        prefilter: !args.no_prefilter,
        parse_timeout: Duration::from_millis(args.parse_timeout_ms),
        progress: None,
    };
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let options = ScanOptions { progress: show_progress.then(|| Arc::new(Progress::default())), ..options };
    let display = options.progress.clone().map(ProgressDisplay::start);
    let report = scan(catalog, &options);
    if let Some(display) = display {
        display.stop();
    }
    let report = report?;
    let sarif_text = || sarif::render(&report, catalog, &args.sarif_category);
    let json_text = || json::render(&report, catalog.catalog_version);
    if let Some(path) = &args.json_output {
        write_atomic(path, &json_text())?;
    }
    if let Some(path) = &args.sarif_output {
        write_atomic(path, &sarif_text())?;
    }
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let style = match args.color {
        ColorChoice::Always => text::Style::Color,
        ColorChoice::Never => text::Style::Plain,
        ColorChoice::Auto if to_terminal && std::env::var_os("NO_COLOR").is_none() => text::Style::Color,
        ColorChoice::Auto => text::Style::Plain,
    };
    let main = match args.format {
        Format::Text => text::render(&report, style, true),
        Format::Json => json_text(),
        Format::Sarif => sarif_text(),
    };
    match &args.output {
        Some(path) => write_atomic(path, &main)?,
        None if args.quiet => {}
        None => write_stdout(&main)?,
    }
    Ok(if report.findings.is_empty() { 0 } else { 1 })
}

/// A progress bar on stderr, drawn only once a scan has run long enough to need one.
struct ProgressDisplay {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

impl ProgressDisplay {
    const DELAY: Duration = Duration::from_millis(400);

    fn start(progress: Arc<Progress>) -> ProgressDisplay {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let started = std::time::Instant::now();
            let mut bar: Option<indicatif::ProgressBar> = None;
            while !stopped.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(50));
                if bar.is_none() && started.elapsed() >= Self::DELAY {
                    let b = indicatif::ProgressBar::new(0);
                    b.set_style(
                        indicatif::ProgressStyle::with_template("{spinner} scanning {pos}/{len} files [{bar:30}] {elapsed}")
                            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                            .progress_chars("=> "),
                    );
                    bar = Some(b);
                }
                if let Some(b) = &bar {
                    b.set_length(progress.total.load(Ordering::Relaxed) as u64);
                    b.set_position(progress.done.load(Ordering::Relaxed) as u64);
                }
            }
            if let Some(b) = bar {
                b.finish_and_clear();
            }
        });
        ProgressDisplay { stop, thread }
    }

    fn stop(self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
    }
}
