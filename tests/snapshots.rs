//! Snapshot of the planning report for one sample file: any change in what the scanner says
//! (rules, positions, confidence, messages, replacements) shows up as a reviewed diff.

use std::process::Command;

fn findings_of(path: &str) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_exavault-migrate"))
        .args(["scan", path, "--format", "json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("binary runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    report["findings"].clone()
}

#[test]
fn legacy_vault_php_report() {
    insta::assert_json_snapshot!(findings_of("samples/php-portal/lib/LegacyVault.php"));
}

#[test]
fn python_swagger_sync_report() {
    insta::assert_json_snapshot!(findings_of("samples/python-sync/archive_sync/ev_swagger.py"));
}
