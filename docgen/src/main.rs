//! `docgen SCHEMA_JSON [--check]`: regenerates (or, with `--check`, verifies) the
//! schema sections of every page under `docs/` from the output of
//! `terraform providers schema -json`. `scripts/docs.sh` runs it with a fresh
//! schema; the test suite (`tests/docs.rs`) fails when a page is out of date.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = args.iter().any(|a| a == "--check");
    let Some(schema_path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: docgen SCHEMA_JSON [--check]   (run from the repository root)");
        return ExitCode::from(2);
    };
    let schema: serde_json::Value = match std::fs::read_to_string(schema_path)
        .map_err(|e| e.to_string())
        .and_then(|text| serde_json::from_str(&text).map_err(|e| e.to_string()))
    {
        Ok(schema) => schema,
        Err(e) => {
            eprintln!("cannot read {schema_path}: {e}");
            return ExitCode::from(2);
        }
    };
    let docs = Path::new("docs");
    let pages = match docgen::pages(&schema, docs, Path::new("examples")) {
        Ok(pages) => pages,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if check {
        let problems = docgen::differences(&pages, docs);
        for problem in &problems {
            eprintln!("{problem}");
        }
        return if problems.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    if let Err(e) = docgen::write(&pages, docs) {
        eprintln!("cannot write the docs: {e}");
        return ExitCode::FAILURE;
    }
    println!("{} pages up to date", pages.len());
    ExitCode::SUCCESS
}
