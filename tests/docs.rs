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

/// Every resource page shows the identity import of its resource type (Terraform
/// 1.12+), as its example `examples/resources/<type>/import-by-identity.tf` writes it.
#[test]
fn every_resource_page_shows_its_identity_import() {
    let schema = provider_schema();
    let provider = schema["provider_schemas"]
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap();
    let types = provider["resource_schemas"].as_object().unwrap().keys();
    for type_name in types {
        assert!(
            provider["resource_identity_schemas"][type_name].is_object(),
            "{type_name} has no identity schema"
        );
        let example_path = root()
            .join("examples/resources")
            .join(type_name)
            .join("import-by-identity.tf");
        let example = std::fs::read_to_string(&example_path)
            .unwrap_or_else(|_| panic!("{} is missing", example_path.display()));
        assert!(
            example.contains(&format!("to = {type_name}.")) && example.contains("identity = {"),
            "{}",
            example_path.display()
        );
        let short = type_name.strip_prefix("idcloudhost_").unwrap();
        let page =
            std::fs::read_to_string(root().join(format!("docs/resources/{short}.md"))).unwrap();
        let import = &page[page.find("\n## Import\n").expect("an Import section")..];
        assert!(
            import.contains(&format!("```terraform\n{}```\n", example)),
            "docs/resources/{short}.md: the Import section does not show {}",
            example_path.display()
        );
        assert!(page.contains("### Identity Schema"), "{short}.md");
    }
}

/// Every type the provider registers (resources, data sources, list resources,
/// actions, ephemeral resources; it has no functions) is listed where users look:
/// README.md links its page `docs/<kind>/<name>.md` and docs/index.md links
/// `<kind>/<name>.md`. A type added without a line in both fails here.
#[test]
fn every_registered_type_is_listed_in_the_readme_and_the_index() {
    use terraform_provider_idcloudhost::framework::ProviderType;
    use terraform_provider_idcloudhost::IdcloudhostProvider;

    let provider = IdcloudhostProvider::default();
    let registered: [(&str, Vec<String>); 5] = [
        ("resources", provider.resources().into_keys().collect()),
        (
            "data-sources",
            provider.data_sources().into_keys().collect(),
        ),
        (
            "list-resources",
            provider.list_resources().into_keys().collect(),
        ),
        ("actions", provider.actions().into_keys().collect()),
        (
            "ephemeral-resources",
            provider.ephemeral_resources().into_keys().collect(),
        ),
    ];
    let read = |path: &str| std::fs::read_to_string(root().join(path)).unwrap();
    let (readme, index) = (read("README.md"), read("docs/index.md"));
    let mut missing = Vec::new();
    let mut count = 0;
    for (kind, names) in &registered {
        assert!(!names.is_empty(), "no {kind} registered");
        for name in names {
            count += 1;
            let page = format!("{kind}/{name}.md");
            assert!(
                root().join("docs").join(&page).is_file(),
                "docs/{page} is missing"
            );
            if !readme.contains(&format!("](docs/{page})")) {
                missing.push(format!("README.md does not link docs/{page}"));
            }
            if !index.contains(&format!("]({page})")) {
                missing.push(format!("docs/index.md does not link {page}"));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    // 14 resources, 27 data sources, 14 list resources, 5 actions, 3 ephemeral.
    assert!(count >= 63, "{count} registered types");
}
