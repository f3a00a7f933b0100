//! Every example under examples/ is valid against the provider's real schema
//! (`terraform validate` with the built provider).

mod common;

use std::path::Path;

use common::Env;

fn example_files() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut files = Vec::new();
    for kind in [
        "resources",
        "data-sources",
        "actions",
        "ephemeral-resources",
        "guides",
        "provider",
    ] {
        let Ok(dirs) = std::fs::read_dir(root.join(kind)) else {
            continue;
        };
        for entry in dirs.flatten() {
            let path = entry.path();
            if path.is_dir() {
                for file in std::fs::read_dir(&path).unwrap().flatten() {
                    if file.path().extension().is_some_and(|e| e == "tf") {
                        files.push(file.path());
                    }
                }
            } else if path.extension().is_some_and(|e| e == "tf") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_example_validates() {
    let files = example_files();
    assert!(files.len() >= 17, "examples found: {files:?}");
    let mut env = Env::new();
    // Examples read the usual `file("~/.ssh/id_ed25519.pub")`.
    let home = env.path().join("home");
    std::fs::create_dir_all(home.join(".ssh")).unwrap();
    std::fs::write(
        home.join(".ssh/id_ed25519.pub"),
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4mvUhGz0qjzhd4FqzZb2NSMRGXCuQEBxV1aCsH7Xhd me@laptop\n",
    )
    .unwrap();
    env.env("HOME", home.to_str().unwrap());
    for file in files {
        let mut text = std::fs::read_to_string(&file).unwrap();
        // An import example targets the resource its directory's example declares.
        if file
            .file_name()
            .is_some_and(|n| n == "import-by-identity.tf")
        {
            let resource = file.with_file_name("resource.tf");
            text = format!("{}\n{text}", std::fs::read_to_string(resource).unwrap());
        }
        // Examples show resources; the provider block comes from the harness.
        let body = if text.contains("provider \"idcloudhost\"") {
            text
        } else {
            format!("provider \"idcloudhost\" {{}}\n{text}")
        };
        if body.contains("required_providers") {
            std::fs::write(env.path().join("main.tf"), &body).unwrap();
        } else {
            env.write_config(&body);
        }
        let result = env.tf(&["validate", "-no-color"]);
        assert_eq!(result.code, 0, "{}:\n{}", file.display(), result.all());
    }
}

#[test]
fn the_demo_stack_validates() {
    let env = Env::new();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo/main.tf"),
    )
    .unwrap();
    std::fs::write(env.path().join("main.tf"), text).unwrap();
    let result = env.tf(&["validate", "-no-color"]);
    assert_eq!(result.code, 0, "{}", result.all());
}

#[test]
fn every_list_resource_example_validates_with_the_query_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let types = |kind: &str| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(root.join(kind))
            .unwrap()
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        types("list-resources"),
        types("resources"),
        "a list resource example per resource type"
    );
    let env = Env::new();
    env.write_config("provider \"idcloudhost\" {}\n");
    for name in types("list-resources") {
        let file = root
            .join("list-resources")
            .join(&name)
            .join("list-resource.tfquery.hcl");
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(env.path().join("example.tfquery.hcl"), text).unwrap();
        let result = env.tf(&["validate", "-query", "-no-color"]);
        assert_eq!(result.code, 0, "{}:\n{}", file.display(), result.all());
    }
}

#[test]
fn the_adoption_example_validates_with_its_query() {
    let env = Env::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/adopt");
    for file in ["main.tf", "adopt.tfquery.hcl"] {
        std::fs::copy(dir.join(file), env.path().join(file)).unwrap();
    }
    let result = env.tf(&["validate", "-query", "-no-color"]);
    assert_eq!(result.code, 0, "{}", result.all());
}
