//! Bad input is a plan-time error naming the attribute, with nothing sent to the
//! API: values the provider can check against what it already reads while
//! planning (billing accounts, networks, VMs, images, sizing limits), through the
//! real terraform binary against the simulator.

mod common;

use common::Env;

const MISSING: &str = "00000000-0000-4000-8000-000000000000";

/// Asserts that `terraform plan` of `body` fails naming `attr` with a message
/// containing `expected`, and that nothing was written to the API.
fn assert_plan_rejects(env: &Env, body: &str, attr: &str, expected: &str) {
    env.write_config(body);
    env.api().clear_requests();
    let plan = env.plan();
    assert_eq!(
        plan.code,
        1,
        "expected a plan error for {attr}:\n{}",
        plan.all()
    );
    let text = plan.folded();
    if !attr.is_empty() {
        // The summary names it, or Terraform quotes the attribute's line.
        let leaf = attr.rsplit('.').next().unwrap_or(attr);
        assert!(
            text.contains(&format!("Invalid value for {attr}"))
                || text.contains(&format!(": {leaf} = ")),
            "the error names {attr}: {text}"
        );
    }
    assert!(text.contains(expected), "missing {expected:?} in: {text}");
    assert!(env.api().writes().is_empty(), "nothing is sent: {body}");
}

fn vm(attrs: &str) -> String {
    format!(
        r#"provider "idcloudhost" {{}}
resource "idcloudhost_vm" "web" {{
  name              = "web"
  reserve_public_ip = false
  {attrs}
}}
"#
    )
}

const UBUNTU: &str =
    "os_name = \"ubuntu\"\n  os_version = \"22.04-lts\"\n  vcpu = 1\n  ram_mb = 1024";

#[test]
fn vm_input_is_checked_at_plan() {
    let env = Env::new();
    // A billing account that is not the account's: the resource's and the provider's.
    assert_plan_rejects(
        &env,
        &vm(&format!("{UBUNTU}\n  billing_account_id = 999999")),
        "billing_account_id",
        "billing_account_id 999999 is not one of this account's billing accounts",
    );
    assert_plan_rejects(
        &env,
        &vm(UBUNTU).replace(
            "provider \"idcloudhost\" {}",
            "provider \"idcloudhost\" {\n  billing_account_id = 999999\n}",
        ),
        "",
        "The provider's billing_account_id 999999 is not one of this account's billing accounts",
    );
    // Windows below its minimum.
    let windows = "os_name = \"windows\"\n  os_version = \"2019\"";
    assert_plan_rejects(
        &env,
        &vm(&format!("{windows}\n  vcpu = 1\n  ram_mb = 2048")),
        "vcpu",
        "windows needs at least 2 vcpu; 1 vcpu is below its minimum.",
    );
    assert_plan_rejects(
        &env,
        &vm(&format!("{windows}\n  vcpu = 2\n  ram_mb = 512")),
        "ram_mb",
        "windows needs at least 1024 MB; 512 MB is below its minimum.",
    );
    // A network that is not one of the location's.
    assert_plan_rejects(
        &env,
        &vm(&format!("{UBUNTU}\n  network_uuid = \"{MISSING}\"")),
        "network_uuid",
        &format!("\"{MISSING}\" is not a private network of location jkt01"),
    );
    // cloud-init that is not an object.
    assert_plan_rejects(
        &env,
        &vm(&format!("{UBUNTU}\n  cloud_init = \"[1,2,3]\"")),
        "cloud_init",
        "cloud_init must be a YAML or JSON object",
    );
    // Malformed YAML, and YAML indented with tabs: the line is named, nothing sent.
    assert_plan_rejects(
        &env,
        &vm(&format!(
            "{UBUNTU}\n  cloud_init = \"#cloud-config\\npackages: [nginx\\nruncmd: {{\""
        )),
        "cloud_init",
        "cloud_init is not valid YAML",
    );
    assert_plan_rejects(
        &env,
        &vm(&format!(
            "{UBUNTU}\n  cloud_init = \"#cloud-config\\npackages:\\n\\t- nginx\\n\""
        )),
        "cloud_init",
        "at line 3, column",
    );
    // Deadlines too large to represent: an error, not a crashed provider.
    assert_plan_rejects(
        &env,
        &vm(&format!(
            "{UBUNTU}\n  timeouts {{\n    create = \"99999999999999999999h\"\n  }}"
        )),
        "timeouts.create",
        "is longer than the maximum of 8760h",
    );
    // Ranges are written as words, not 1..9223372036854775807.
    env.write_config(&vm(&format!("{UBUNTU}\n  billing_account_id = 0")));
    let plan = env.plan_fails();
    plan.assert_mentions("0 is outside the allowed range (at least 1)");
    assert!(
        !plan.all().contains("9223372036854775807"),
        "{}",
        plan.all()
    );
    // The same VM with good input plans.
    env.write_config(&vm(UBUNTU));
    assert_eq!(env.plan().code, 2);
}

#[test]
fn disk_and_load_balancer_input_is_checked_at_plan() {
    let env = Env::new();
    let disk = |attrs: &str| {
        format!("provider \"idcloudhost\" {{}}\nresource \"idcloudhost_disk\" \"d\" {{\n  {attrs}\n}}\n")
    };
    assert_plan_rejects(
        &env,
        &disk("source_image_type = \"OS_BASE\"\n  source_image = \"ubuntu_99.99\""),
        "source_image",
        "ubuntu has no published version \"99.99\"",
    );
    assert_plan_rejects(
        &env,
        &disk("source_image_type = \"OS_BASE\"\n  source_image = \"plan9_4\""),
        "source_image",
        "\"plan9\" is not an image of this API",
    );
    assert_plan_rejects(
        &env,
        &disk(&format!(
            "source_image_type = \"DISK\"\n  source_image = \"{MISSING}\""
        )),
        "source_image",
        "is not a disk of location jkt01",
    );
    assert_plan_rejects(
        &env,
        &disk("size_gb = 100000"),
        "size_gb",
        "100000 GiB is more than the largest disk location jkt01 takes",
    );
    assert_plan_rejects(
        &env,
        &disk("size_gb = 50\n  billing_account_id = 999999"),
        "billing_account_id",
        "is not one of this account's billing accounts",
    );

    let lb = |attrs: &str| {
        format!("provider \"idcloudhost\" {{}}\nresource \"idcloudhost_load_balancer\" \"lb\" {{\n  name = \"lb\"\n  {attrs}\n}}\n")
    };
    assert_plan_rejects(
        &env,
        &lb(&format!("network_uuid = \"{MISSING}\"")),
        "network_uuid",
        "is not a private network of location jkt01",
    );
    assert_plan_rejects(
        &env,
        &lb(&format!("target {{\n    target_uuid = \"{MISSING}\"\n  }}")),
        "target.target_uuid",
        &format!("No VM {MISSING} in location jkt01"),
    );
    env.write_config(&disk("size_gb = 50"));
    assert_eq!(env.plan().code, 2);
}
