//! List resources and `terraform query` (Terraform 1.14+): an account made
//! through the API, not by Terraform, is listed with display names, filters and
//! full objects, and adopted in two commands: `terraform query
//! -generate-config-out` writes import blocks and configuration, and the plan that
//! follows only imports.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Action, Env};
use idcloudhost_sim::Brand;
use reqwest::Method;
use serde_json::{json, Value};

const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4mvUhGz0qjzhd4FqzZb2NSMRGXCuQEBxV1aCsH7Xhd ops@example";

fn uuid(value: &Value) -> String {
    value["uuid"]
        .as_str()
        .unwrap_or_else(|| panic!("no uuid in {value}"))
        .to_owned()
}

/// The account's default billing account, which objects made through the API name.
fn billing(env: &Env) -> i64 {
    let accounts = env.api().get("/v1/payment/billing_account/list");
    accounts
        .as_array()
        .and_then(|a| a.iter().find(|a| a["is_default"] == true))
        .and_then(|a| a["id"].as_i64())
        .expect("a default billing account")
}

fn vm(env: &Env, name: &str, network: &str, public_ip: bool) -> String {
    let public_ip = if public_ip { "true" } else { "false" };
    uuid(&env.api().create_vm(
        "jkt01",
        name,
        &[
            ("network_uuid", network),
            ("username", "app"),
            ("password", "Secret123"),
            ("reserve_public_ip", public_ip),
        ],
    ))
}

fn floating_ip(env: &Env, name: &str) -> String {
    let ip = env.api().post(
        "/v1/jkt01/network/ip_addresses",
        json!({ "name": name, "billing_account_id": billing(env) }),
    );
    ip["address"].as_str().expect("address").to_owned()
}

fn disk(env: &Env, name: &str, size_gb: &str) -> String {
    uuid(&env.api().post_form(
        "/v1/jkt01/storage/disks",
        &[
            ("display_name", name),
            ("size_gb", size_gb),
            ("billing_account_id", &billing(env).to_string()),
        ],
    ))
}

/// What the seeded account holds, by name.
struct Account {
    vms: BTreeMap<&'static str, String>,
    /// Every object a person would adopt, counted per resource type.
    objects: BTreeMap<&'static str, usize>,
}

/// A mixed account of 23 objects, made directly through the API: networks, VMs
/// (one stopped, one with a public address it reserved itself), floating IPs with
/// and without an assignment, disks with and without an attachment, a firewall
/// on two VMs, a load balancer, a managed database, buckets, an SSH key, a VM
/// snapshot and an S3 key: at least one object of every resource type.
fn seed(env: &Env) -> Account {
    let api = env.api();
    // The location's default network, as a real account has.
    api.post("/v1/jkt01/network/network?name=default", json!({}));
    let app = uuid(&api.post("/v1/jkt01/network/network?name=app", json!({})));
    let web1 = vm(env, "web-1", &app, true);
    let web2 = vm(env, "web-2", &app, false);
    let admin = vm(env, "admin", &app, false);
    api.post_form("/v1/jkt01/user-resource/vm/stop", &[("uuid", &admin)]);

    let admin_ip = floating_ip(env, "admin-public");
    api.post(
        &format!("/v1/jkt01/network/ip_addresses/{admin_ip}/assign"),
        json!({ "vm_uuid": admin }),
    );
    floating_ip(env, "spare");

    let data = disk(env, "web-data", "30");
    api.post_form(
        "/v1/jkt01/user-resource/vm/storage/attach",
        &[("uuid", &web2), ("storage_uuid", &data)],
    );
    disk(env, "archive", "50");

    let firewall = uuid(&api.post(
        "/v1/jkt01/network/firewalls",
        json!({"display_name": "web", "rules": [
            {"direction": "inbound", "protocol": "tcp", "port_start": 443,
             "endpoint_spec_type": "any"},
            {"direction": "inbound", "protocol": "tcp", "port_start": 22,
             "endpoint_spec_type": "ip_prefixes", "endpoint_spec": ["10.0.0.0/8"]},
        ]}),
    ));
    for vm in [&web1, &web2] {
        api.post(
            &format!("/v1/jkt01/network/firewalls/{firewall}/vms?vm_uuid={vm}"),
            json!({}),
        );
    }
    api.post(
        "/v1/jkt01/network/load_balancers",
        json!({
            "display_name": "web",
            "network_uuid": app,
            "billing_account_id": billing(env),
            "reserve_public_ip": false,
            "rules": [{"source_port": 80, "target_port": 8080}],
            "targets": [
                {"target_uuid": web1, "target_type": "vm"},
                {"target_uuid": web2, "target_type": "vm"},
            ],
        }),
    );
    api.post_form("/v1/jkt01/user-resource/vm/replica", &[("uuid", &admin)]);
    for bucket in ["app-assets", "app-logs"] {
        api.form(
            Method::PUT,
            "/v1/storage/bucket",
            &[
                ("name", bucket),
                ("billing_account_id", &billing(env).to_string()),
            ],
        );
    }
    api.post(
        "/v1/user-resource/ssh_keys",
        json!({"name": "ops", "public_key": KEY}),
    );
    let db = uuid(&api.post(
        "/v1/user-resource/service/package",
        json!({
            "billing_account_id": billing(env),
            "service": "postgresql",
            "version": "14.0",
            "display_name": "orders-db",
            "vm_cpu": 2,
            "vm_ram": 4096,
            "vm_disk_gb": 40,
            "package_parameters": "{\"location\":\"jkt01\"}",
        }),
    ));
    api.post_form(
        &format!("/v1/jkt01/user-resource/service/package/{db}/whitelist_addresses"),
        &[("ip_address", "10.9.0.0/16")],
    );
    let keys = api.get("/v1/storage/user/keys");
    let objects = BTreeMap::from([
        ("idcloudhost_network", 2),
        ("idcloudhost_vm", 3),
        ("idcloudhost_vm_snapshot", 1),
        // admin-public, spare, and the address web-1 reserved.
        ("idcloudhost_floating_ip", 3),
        ("idcloudhost_floating_ip_assignment", 2),
        ("idcloudhost_disk", 2),
        ("idcloudhost_disk_attachment", 1),
        ("idcloudhost_firewall", 1),
        ("idcloudhost_firewall_attachment", 2),
        ("idcloudhost_load_balancer", 1),
        ("idcloudhost_bucket", 2),
        ("idcloudhost_ssh_key", 1),
        ("idcloudhost_service_package", 1),
        (
            "idcloudhost_s3_credential",
            keys.as_array().map_or(0, Vec::len),
        ),
    ]);
    Account {
        vms: BTreeMap::from([("web-1", web1), ("web-2", web2), ("admin", admin)]),
        objects,
    }
}

/// The shipped adoption query (examples/adopt), which lists every resource type.
fn adopt_query(types: &BTreeSet<String>) -> String {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/adopt/adopt.tfquery.hcl");
    let text = std::fs::read_to_string(path).expect("examples/adopt/adopt.tfquery.hcl");
    for t in types {
        assert!(
            text.contains(&format!("list \"{t}\" \"all\"")),
            "examples/adopt lists {t}"
        );
    }
    text
}

fn resource_types(env: &Env) -> BTreeSet<String> {
    let out = env.tf_ok(&["providers", "schema", "-json"]);
    let schema: Value = serde_json::from_str(&out.stdout).expect("schema JSON");
    let provider = schema["provider_schemas"]
        .as_object()
        .and_then(|p| p.values().next())
        .cloned()
        .expect("the provider's schema");
    let names = |key: &str| -> BTreeSet<String> {
        provider[key]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let resources = names("resource_schemas");
    assert_eq!(
        names("list_resource_schemas"),
        resources,
        "every resource type has a list resource of the same name"
    );
    resources
}

/// `terraform query -json` with `query.tfquery.hcl`: the objects found, per list
/// block address.
fn query(env: &Env, tfquery: &str, extra: &[&str]) -> Vec<Value> {
    std::fs::write(env.path().join("query.tfquery.hcl"), tfquery).expect("write tfquery");
    let mut args = vec!["query", "-json", "-no-color"];
    args.extend_from_slice(extra);
    let out = env.tf_ok(&args);
    out.stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| message["type"] == "list_resource_found")
        .map(|message| message["list_resource_found"].clone())
        .collect()
}

fn display_names(found: &[Value]) -> BTreeSet<String> {
    found
        .iter()
        .map(|f| f["display_name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The paths of the reads (GET requests) in the simulator's log.
fn read_paths(env: &Env) -> Vec<String> {
    env.api()
        .requests()
        .into_iter()
        .filter(|(m, _, _)| m == "GET")
        .map(|(_, p, _)| p)
        .collect()
}

#[test]
fn query_generate_config_adopts_a_mixed_account_with_a_plan_of_only_imports() {
    let env = Env::new();
    let account = seed(&env);
    let total: usize = account.objects.values().sum();
    assert!(
        total >= 20,
        "a mixed account of at least 20 objects: {total}"
    );
    env.write_config("provider \"idcloudhost\" {}\n");
    let types = resource_types(&env);
    let seeded: BTreeSet<String> = account.objects.keys().map(|t| t.to_string()).collect();
    assert_eq!(
        seeded, types,
        "the account has an object of every resource type"
    );
    let tfquery = adopt_query(&types);

    // Command one: list everything and write its configuration, each list
    // endpoint called once however many list blocks and objects need it.
    env.api().clear_requests();
    let found = query(&env, &tfquery, &["-generate-config-out=generated.tf"]);
    let gets = read_paths(&env);
    let distinct: BTreeSet<&String> = gets.iter().collect();
    assert_eq!(distinct.len(), gets.len(), "a list call repeated: {gets:?}");
    assert!(
        gets.len() <= 2 * types.len(),
        "a few list calls, not a read per object: {gets:?}"
    );
    let mut per_type: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &found {
        *per_type
            .entry(f["resource_type"].as_str().unwrap_or_default())
            .or_default() += 1;
    }
    let expected: BTreeMap<&str, usize> = account.objects.clone();
    assert_eq!(per_type, expected, "objects found per type");
    let generated = std::fs::read_to_string(env.path().join("generated.tf")).expect("generated");
    assert!(generated.contains("identity = {"), "{generated}");
    common::assert_written_as_a_person_would(&generated);
    std::fs::remove_file(env.path().join("query.tfquery.hcl")).expect("tfquery");

    // Command two: the plan only imports, then applies, and nothing is left to do.
    env.tf_ok(&["validate", "-no-color"]);
    let check = env.plan_check();
    let plan = &check.json;
    assert_eq!(check.addresses().len(), total, "{plan}");
    for address in check.addresses() {
        let change = check.change(&address);
        assert_eq!(
            check.action(&address),
            Action::NoOp,
            "{address} is only imported; generated configuration:\n{generated}\nchange: {}",
            change["change"]
        );
        assert!(
            !change["change"]["importing"].is_null(),
            "{address} is imported: {change}"
        );
    }
    env.api().clear_requests();
    env.apply();
    assert!(
        env.api().writes().is_empty(),
        "adopting writes nothing: {:?}",
        env.api().writes()
    );
    env.assert_no_changes();
    let state = env.show();
    let adopted = state["values"]["root_module"]["resources"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(adopted, total);
    assert!(account.vms.contains_key("admin"));
}

#[test]
fn query_shows_display_names_filters_and_whole_objects_with_one_list_call_per_type() {
    let env = Env::new();
    let account = seed(&env);
    env.write_config("provider \"idcloudhost\" {}\n");

    // Every VM, by name, location and address, from one VM list call however
    // many VMs there are.
    env.api().clear_requests();
    let found = query(
        &env,
        "list \"idcloudhost_vm\" \"all\" {\n  provider = idcloudhost\n}\n",
        &[],
    );
    let names = display_names(&found);
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(
        names.iter().any(|n| n.starts_with("web-1 (jkt01, ")),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.starts_with("admin (jkt01, ")),
        "{names:?}"
    );
    let web1 = found
        .iter()
        .find(|f| f["display_name"].as_str().unwrap().starts_with("web-1"))
        .unwrap();
    assert_eq!(web1["identity"]["id"], account.vms["web-1"].as_str());
    assert!(
        web1["resource_object"].is_null(),
        "no object unless asked for"
    );
    let gets = read_paths(&env);
    let vm_lists = gets
        .iter()
        .filter(|p| p.as_str() == "/v1/jkt01/user-resource/vm/list")
        .count();
    assert_eq!(vm_lists, 1, "{gets:?}");
    let distinct: BTreeSet<&String> = gets.iter().collect();
    assert_eq!(distinct.len(), gets.len(), "no call repeated: {gets:?}");
    assert!(
        !gets.iter().any(|p| p.contains(&account.vms["web-1"])),
        "no read per object: {gets:?}"
    );

    // Filters: name_regex and status, in the provider's location (unset).
    let found = query(
        &env,
        r#"
list "idcloudhost_vm" "running_web" {
  provider         = idcloudhost
  include_resource = true
  config {
    name_regex = "^web-"
    status     = "running"
  }
}
list "idcloudhost_vm" "stopped" {
  provider = idcloudhost
  config {
    status = "stopped"
  }
}
list "idcloudhost_floating_ip" "free" {
  provider = idcloudhost
  config {
    assigned = false
  }
}
list "idcloudhost_vm" "elsewhere" {
  provider = idcloudhost
  config {
    location = "jkt02"
  }
}
"#,
        &[],
    );
    let of = |address: &str| -> Vec<&Value> {
        found
            .iter()
            .filter(|f| f["address"] == format!("list.{address}"))
            .collect()
    };
    let running = of("idcloudhost_vm.running_web");
    assert_eq!(running.len(), 2, "{found:?}");
    for vm in &running {
        assert_eq!(vm["resource_object"]["status"], "running");
        assert_eq!(vm["resource_object"]["location"], "jkt01");
        assert!(vm["resource_object"]["name"]
            .as_str()
            .unwrap()
            .starts_with("web-"));
    }
    let stopped = of("idcloudhost_vm.stopped");
    assert_eq!(stopped.len(), 1, "{found:?}");
    assert_eq!(stopped[0]["identity"]["id"], account.vms["admin"].as_str());
    let free = of("idcloudhost_floating_ip.free");
    assert_eq!(free.len(), 1, "{found:?}");
    assert!(
        free[0]["display_name"]
            .as_str()
            .unwrap()
            .starts_with("spare (jkt01, "),
        "{free:?}"
    );
    assert!(of("idcloudhost_vm.elsewhere").is_empty(), "{found:?}");

    // limit: at most that many.
    let found = query(
        &env,
        "list \"idcloudhost_vm\" \"two\" {\n  provider = idcloudhost\n  limit = 2\n}\n",
        &[],
    );
    assert_eq!(found.len(), 2);

    // No location in the list block: the provider's location.
    let api = env.api();
    api.post("/v1/jkt02/network/network?name=default", json!({}));
    let far = api.create_vm_uuid("jkt02", "far");
    env.write_config("provider \"idcloudhost\" {\n  location = \"jkt02\"\n}\n");
    let found = query(
        &env,
        "list \"idcloudhost_vm\" \"here\" {\n  provider = idcloudhost\n}\n",
        &[],
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["identity"]["id"], far.as_str());
    assert_eq!(found[0]["identity"]["location"], "jkt02");
    assert!(
        found[0]["display_name"]
            .as_str()
            .unwrap()
            .starts_with("far (jkt02, "),
        "{found:?}"
    );
}

#[test]
fn bad_filters_are_plan_time_errors_naming_the_attribute_with_nothing_sent() {
    let env = Env::new();
    env.write_config("provider \"idcloudhost\" {}\n");
    for (config, attribute) in [
        ("name_regex = \"web-(\"", "name_regex"),
        ("status = \"sleeping\"", "status"),
    ] {
        std::fs::write(
            env.path().join("query.tfquery.hcl"),
            format!(
                "list \"idcloudhost_vm\" \"bad\" {{\n  provider = idcloudhost\n  config {{\n    {config}\n  }}\n}}\n"
            ),
        )
        .unwrap();
        env.api().clear_requests();
        let result = env.tf(&["query", "-no-color"]);
        result.assert_failed();
        let text = result.all();
        assert!(text.contains(attribute), "{text}");
        assert!(
            !env.api()
                .requests()
                .iter()
                .any(|(_, p, _)| p.contains("user-resource/vm")),
            "nothing listed: {:?}",
            env.api().requests()
        );
    }
}

#[test]
fn the_adoption_query_serves_a_brand_without_some_types_and_says_what_it_skipped() {
    let env = Env::for_brand(Brand::Elastis, common::terraform_binary());
    env.api()
        .post("/v1/jkt01/network/network?name=default", json!({}));
    env.write_config("provider \"idcloudhost\" {}\n");
    let types = resource_types(&env);
    std::fs::write(env.path().join("adopt.tfquery.hcl"), adopt_query(&types)).unwrap();
    let out = env.tf_ok(&["query", "-json", "-no-color"]);
    let messages: Vec<Value> = out
        .stdout
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    let found: Vec<&Value> = messages
        .iter()
        .filter(|m| m["type"] == "list_resource_found")
        .collect();
    assert_eq!(found.len(), 1, "the default network only: {found:?}");
    let skipped: BTreeSet<String> = messages
        .iter()
        .filter(|m| m["type"] == "diagnostic" && m["diagnostic"]["severity"] == "warning")
        .filter_map(|m| m["diagnostic"]["summary"].as_str())
        .filter(|s| s.contains("lists nothing on"))
        .map(|s| s.split_whitespace().next().unwrap_or_default().to_owned())
        .collect();
    let expected: BTreeSet<String> = [
        "idcloudhost_firewall",
        "idcloudhost_firewall_attachment",
        "idcloudhost_service_package",
        "idcloudhost_ssh_key",
    ]
    .map(String::from)
    .into();
    assert_eq!(skipped, expected, "{}", out.stdout);
}
