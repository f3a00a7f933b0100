//! The three data sources through the real terraform binary against the simulator:
//! values equal what the simulator serves, filters work, bad input fails at plan.

mod common;

use common::{terraform_1_0_binary, Env};
use serde_json::{json, Value};

fn slugs(locations: &Value) -> Vec<String> {
    locations
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["slug"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn locations_equal_what_the_api_serves() {
    let env = Env::applied(
        r#"
provider "idcloudhost" {}
data "idcloudhost_locations" "all" {}
output "locations" { value = data.idcloudhost_locations.all.locations }
output "default_slug" { value = data.idcloudhost_locations.all.default_slug }
"#,
    );
    let outputs = env.outputs();
    let served = env.api().get("/v1/config/locations");
    let served = served.as_array().unwrap();
    let got = outputs["locations"].as_array().unwrap();
    assert_eq!(got.len(), served.len());
    assert!(got.len() >= 3);
    for (g, s) in got.iter().zip(served) {
        for key in [
            "slug",
            "display_name",
            "description",
            "country_code",
            "is_default",
            "is_preferred",
            "order_nr",
        ] {
            assert_eq!(g[key], s[key], "{key} of {}", s["slug"]);
        }
    }
    let default = served
        .iter()
        .find(|l| l["is_default"] == json!(true))
        .unwrap();
    assert_eq!(outputs["default_slug"], default["slug"]);
    assert_eq!(
        slugs(&outputs["locations"]),
        slugs(&Value::Array(served.clone()))
    );
}

fn image_summary(images: &Value) -> Vec<(String, Vec<(String, bool)>)> {
    images
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["os_name"].as_str().unwrap().to_owned(),
                i["versions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| {
                        (
                            v["os_version"].as_str().unwrap().to_owned(),
                            v["published"].as_bool().unwrap(),
                        )
                    })
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn vm_images_with_and_without_filters() {
    let env = Env::applied(
        r#"
provider "idcloudhost" {}
data "idcloudhost_vm_images" "all" {}
data "idcloudhost_vm_images" "plain" { catalog = "plain_os" }
data "idcloudhost_vm_images" "apps" { catalog = "app_catalog" }
data "idcloudhost_vm_images" "ubuntu" { os_name = "ubuntu" }
output "all" { value = data.idcloudhost_vm_images.all.images }
output "plain" { value = data.idcloudhost_vm_images.plain.images }
output "apps" { value = data.idcloudhost_vm_images.apps.images }
output "ubuntu" { value = data.idcloudhost_vm_images.ubuntu.images }
output "catalog_default" { value = data.idcloudhost_vm_images.all.catalog }
"#,
    );
    let out = env.outputs();
    let api = env.api();
    let all = api.get("/v1/config/vm_images");
    assert_eq!(image_summary(&out["all"]), image_summary(&all));
    assert_eq!(
        image_summary(&out["plain"]),
        image_summary(&api.get("/v1/config/vm_images/plain_os"))
    );
    assert_eq!(
        image_summary(&out["apps"]),
        image_summary(&api.get("/v1/config/vm_images/app_catalog"))
    );
    assert!(out["apps"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["is_app_catalog"] == json!(true)));
    let ubuntu: Vec<Value> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["os_name"] == "ubuntu")
        .cloned()
        .collect();
    assert_eq!(ubuntu.len(), 1);
    assert_eq!(
        image_summary(&out["ubuntu"]),
        image_summary(&Value::Array(ubuntu.clone()))
    );
    assert_eq!(out["ubuntu"][0]["display_name"], ubuntu[0]["display_name"]);
    assert_eq!(out["catalog_default"], "all");
}

#[test]
fn boot_images_with_and_without_filters() {
    let env = Env::applied(
        r#"
provider "idcloudhost" {}
data "idcloudhost_boot_images" "all" {}
data "idcloudhost_boot_images" "install" { installation_media = true }
data "idcloudhost_boot_images" "rescue" { installation_media = false }
data "idcloudhost_boot_images" "named" { name_regex = "(?i)^ubuntu" }
output "all" { value = data.idcloudhost_boot_images.all.images }
output "install" { value = data.idcloudhost_boot_images.install.images }
output "rescue" { value = data.idcloudhost_boot_images.rescue.images }
output "named" { value = data.idcloudhost_boot_images.named.images }
"#,
    );
    let out = env.outputs();
    let served = env.api().get("/v1/config/boot_images");
    let served = served.as_array().unwrap();
    let uuids = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| i["uuid"].as_str().unwrap().to_owned())
            .collect()
    };
    let served_where = |f: &dyn Fn(&Value) -> bool| -> Vec<String> {
        served
            .iter()
            .filter(|i| f(i))
            .map(|i| i["uuid"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(uuids(&out["all"]), served_where(&|_| true));
    let install = served_where(&|i| i["is_installation_media"] == json!(true));
    let rescue = served_where(&|i| i["is_installation_media"] == json!(false));
    assert!(
        !install.is_empty() && !rescue.is_empty(),
        "simulator serves both kinds"
    );
    assert_eq!(uuids(&out["install"]), install);
    assert_eq!(uuids(&out["rescue"]), rescue);
    let re = regex::Regex::new("(?i)^ubuntu").unwrap();
    let named = served_where(&|i| re.is_match(i["image_name"].as_str().unwrap()));
    assert!(!named.is_empty());
    assert_eq!(uuids(&out["named"]), named);
    for (got, want) in out["all"].as_array().unwrap().iter().zip(served) {
        for key in [
            "image_name",
            "description",
            "is_installation_media",
            "is_published",
        ] {
            assert_eq!(got[key], want[key]);
        }
    }
}

#[test]
fn invalid_filters_fail_at_plan_naming_the_attribute() {
    let env = Env::new();
    env.write_config(
        r#"
provider "idcloudhost" {}
data "idcloudhost_boot_images" "bad" { name_regex = "ubuntu(" }
"#,
    );
    env.assert_plan_fails_with(&["name_regex", "not a valid regular expression"]);

    env.write_config(
        r#"
provider "idcloudhost" {}
data "idcloudhost_vm_images" "bad" { catalog = "everything" }
"#,
    );
    env.assert_plan_fails_with(&["catalog", "\"everything\" is not one of"]);
    // Nothing reached the API's catalogue endpoints with the bad filters.
    assert!(env
        .api()
        .requests()
        .iter()
        .all(|(_, path, _)| !path.contains("vm_images") && !path.contains("boot_images")));
}

#[test]
fn wrong_api_key_fails_with_the_api_message() {
    let mut env = Env::new();
    env.api_key = "not-a-key".into();
    env.write_config(
        r#"
provider "idcloudhost" {}
data "idcloudhost_locations" "all" {}
"#,
    );
    env.assert_plan_fails_with(&["Invalid authentication credentials", "api_key"]);
}

#[test]
fn missing_api_key_is_a_clear_error() {
    let mut env = Env::new();
    env.api_key = String::new();
    env.write_config(
        r#"
provider "idcloudhost" {}
data "idcloudhost_locations" "all" {}
"#,
    );
    env.assert_plan_fails_with(&["Missing API key", "IDCLOUDHOST_API_KEY"]);
}

#[test]
fn unknown_location_fails_clearly() {
    let env = Env::new();
    env.write_config(
        r#"
provider "idcloudhost" {
  location = "mars01"
}
data "idcloudhost_locations" "all" {}
"#,
    );
    let plan = env.plan_fails();
    plan.assert_mentions("Unknown location \"mars01\"");
    assert!(
        plan.all().contains("jkt01"),
        "lists the known slugs: {}",
        plan.all()
    );
}

#[test]
fn works_under_terraform_1_0() {
    let env = Env::with_terraform(terraform_1_0_binary());
    env.write_config(
        r#"
provider "idcloudhost" {}
data "idcloudhost_locations" "all" {}
data "idcloudhost_vm_images" "ubuntu" { os_name = "ubuntu" }
output "default_slug" { value = data.idcloudhost_locations.all.default_slug }
output "ubuntu_versions" { value = [for v in data.idcloudhost_vm_images.ubuntu.images[0].versions : v.os_version] }
"#,
    );
    let version = env.tf_ok(&["version"]);
    assert!(version.stdout.contains("v1.0.3"), "{}", version.stdout);
    env.apply();
    let out = env.outputs();
    assert_eq!(out["default_slug"], "jkt01");
    let served = env.api().get("/v1/config/vm_images");
    let ubuntu = served
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["os_name"] == "ubuntu")
        .unwrap();
    let want: Vec<Value> = ubuntu["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["os_version"].clone())
        .collect();
    assert_eq!(out["ubuntu_versions"], Value::Array(want));
}

#[test]
fn host_pools_per_location_with_limits() {
    let env = Env::applied(
        r#"
provider "idcloudhost" {}
data "idcloudhost_host_pools" "default" {}
data "idcloudhost_host_pools" "sgp" { location = "sgp01" }
output "default" { value = data.idcloudhost_host_pools.default }
output "sgp" { value = data.idcloudhost_host_pools.sgp }
"#,
    );
    let out = env.outputs();
    for (name, location) in [("default", "jkt01"), ("sgp", "sgp01")] {
        let got = &out[name];
        assert_eq!(got["location"], location);
        let served = env
            .api()
            .get(&format!("/v1/{location}/user-resource/host_pool/list"));
        let served = served.as_array().unwrap();
        let pools = got["pools"].as_array().unwrap();
        assert_eq!(pools.len(), served.len());
        for (p, s) in pools.iter().zip(served) {
            assert_eq!(p["uuid"], s["uuid"]);
            assert_eq!(p["name"], s["name"]);
            assert_eq!(p["is_default"], s["is_default_designated"]);
            assert_eq!(p["vcpu_min"], s["guest_limits"]["cpu"]["min"]);
            assert_eq!(p["vcpu_max"], s["guest_limits"]["cpu"]["max"]);
            assert_eq!(p["ram_mb_max"], s["guest_limits"]["ram_mb"]["max"]);
            assert_eq!(p["disk_gb_min"], s["guest_limits"]["disk_gb"]["min"]);
        }
        let default = served
            .iter()
            .find(|p| p["is_default_designated"] == json!(true))
            .unwrap();
        assert_eq!(got["default_uuid"], default["uuid"]);
    }

    env.write_config(
        r#"
provider "idcloudhost" {}
data "idcloudhost_host_pools" "bad" { location = "nowhere9" }
"#,
    );
    let plan = env.plan();
    assert_eq!(plan.code, 1);
    plan.assert_mentions("Unknown location \"nowhere9\"");
}
