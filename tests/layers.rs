//! The layers import one way (README, "Where things live"): the framework
//! (`src/framework`) is generic and imports neither the API client nor the
//! provider's data nor the platform's rules; the API client and the leaf module
//! both use (`src/cancel.rs`) import neither the framework nor what is built on
//! it. A source scan: an import that breaks a layer fails here, naming the file
//! and line.

use std::fs;
use std::path::{Path, PathBuf};

/// The top-level modules a path starting with `crate::` names, in code (comments
/// left out), with their lines: `crate::api::Feature` and `crate::{api, context}`
/// alike.
fn crate_modules(source: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (index, line) in source.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let names: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => {
                    let group = &group[..group.find('}').unwrap_or(group.len())];
                    group.split(',').collect()
                }
                None => vec![rest],
            };
            for name in names {
                let name: String = name
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    found.push((index + 1, name));
                }
            }
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every import of a `forbidden` module by the files under `place` (a folder or
/// one file), as `file:line: crate::module`.
fn imports_of(place: &str, forbidden: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let path = root.join(place);
    if path.is_dir() {
        rust_files(&path, &mut files);
    } else {
        files.push(path);
    }
    assert!(!files.is_empty(), "no source under {place}");
    let mut found = Vec::new();
    for file in files {
        let source = fs::read_to_string(&file).unwrap();
        for (line, module) in crate_modules(&source) {
            if forbidden.contains(&module.as_str()) {
                let name = file.strip_prefix(root).unwrap_or(&file).display();
                found.push(format!("{name}:{line}: crate::{module}"));
            }
        }
    }
    found
}

#[test]
fn the_scan_sees_every_form_of_import() {
    let source = "use crate::api::Feature;\nuse crate::{context::ProviderData, framework};\n\
                  // crate::platform in a comment\nlet x = crate::platform::LOCATION; // crate::api\n";
    let modules: Vec<(usize, String)> = crate_modules(source);
    assert_eq!(
        modules,
        [
            (1, "api".to_owned()),
            (2, "context".to_owned()),
            (2, "framework".to_owned()),
            (4, "platform".to_owned()),
        ]
    );
}

#[test]
fn the_framework_imports_no_api_client_provider_data_or_platform_rules() {
    let found = imports_of("src/framework", &["api", "context", "platform"]);
    assert!(
        found.is_empty(),
        "the framework is generic: what it needs of the platform goes through \
         framework::Platform (implemented in src/platform/), not these imports:\n{}",
        found.join("\n")
    );
    // Nor anything else of this provider (its unit tests included).
    let provider = [
        "resources",
        "data_sources",
        "list_resources",
        "actions",
        "ephemeral_resources",
        "migrate",
        "provider",
        "protocol",
    ];
    let found = imports_of("src/framework", &provider);
    assert!(
        found.is_empty(),
        "the framework knows no type of this provider:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_api_client_and_the_cancellation_module_import_nothing_above_them() {
    let above = [
        "framework",
        "context",
        "platform",
        "resources",
        "data_sources",
        "provider",
    ];
    let mut found = imports_of("src/api", &above);
    found.extend(imports_of(
        "src/cancel.rs",
        &[&above[..], &["api"]].concat(),
    ));
    assert!(
        found.is_empty(),
        "the API client (and src/cancel.rs, which the framework and the client share) \
         must not import the layers above it:\n{}",
        found.join("\n")
    );
}
