//! The docs pages are generated from the provider's own schema: a page missing or
//! out of date (an attribute added, changed or described differently without
//! regenerating) fails here. Regenerate with `bash scripts/docs.sh`.

mod common;

use std::path::Path;

use common::Env;
use serde_json::{json, Value};

/// `terraform providers schema -json` of the built provider.
fn provider_schema() -> Value {
    let env = Env::new();
    env.write_config("");
    let out = env.tf_ok(&["providers", "schema", "-json"]);
    serde_json::from_str(&out.stdout).expect("providers schema -json is JSON")
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_docs_page_matches_the_schema() {
    let schema = provider_schema();
    let docs = root().join("docs");
    let pages = docgen::pages(&schema, &docs, &root().join("examples")).unwrap();
    if std::env::var_os("IDCLOUDHOST_UPDATE_DOCS").is_some() {
        docgen::write(&pages, &docs).unwrap();
    }
    let problems = docgen::differences(&pages, &docs);
    assert!(
        problems.is_empty(),
        "docs/ does not match the provider's schema (run `bash scripts/docs.sh`):\n{}",
        problems.join("\n")
    );

    // The check notices an attribute added without regenerating.
    let mut changed = schema.clone();
    let provider = changed["provider_schemas"]
        .as_object_mut()
        .unwrap()
        .values_mut()
        .next()
        .unwrap();
    provider["resource_schemas"]["idcloudhost_network"]["block"]["attributes"]["labels"] =
        json!({"type": ["map", "string"], "description": "New.", "optional": true});
    let stale = docgen::pages(&changed, &docs, &root().join("examples")).unwrap();
    assert_eq!(
        docgen::differences(&stale, &docs),
        vec!["resources/network.md is out of date".to_owned()]
    );
}
