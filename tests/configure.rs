//! `ConfigureProvider` sends no API request: the default location and billing
//! account are asked for when first needed, once per process, and a mistyped
//! provider location still fails the plan that uses it, listing the API's.

mod common;

use common::{hcl, Env};

/// GET requests to `path` in the simulator's log.
fn gets_of(env: &Env, path: &str) -> usize {
    env.api()
        .requests()
        .iter()
        .filter(|(method, p, _)| method == "GET" && p == path)
        .count()
}

const LOCATIONS: &str = "/v1/config/locations";
const BILLING_ACCOUNTS: &str = "/v1/payment/billing_account/list";

#[test]
fn configure_asks_the_api_nothing() {
    let env = Env::new();
    // A provider location nothing uses is never looked up, even a wrong one: the
    // SSH key is global.
    env.write_config(&format!(
        r#"
provider "idcloudhost" {{
  location = "mars01"
}}

resource "idcloudhost_ssh_key" "ops" {{
  name       = "ops"
  public_key = "{}"
}}
"#,
        common::SSH_PUBLIC_KEY
    ));
    env.api().clear_requests();
    let plan = env.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert_eq!(gets_of(&env, LOCATIONS), 0);
    assert_eq!(gets_of(&env, BILLING_ACCOUNTS), 0);
}

#[test]
fn an_unknown_provider_location_fails_the_plan_that_uses_it() {
    let env = Env::new();
    env.write_config(
        r#"
provider "idcloudhost" {
  location = "mars01"
}

resource "idcloudhost_network" "app" {
  name = "app"
}
"#,
    );
    let plan = env.plan_fails();
    // Terraform wraps the detail: compare words.
    let text = plan.folded();
    assert!(text.contains("Unknown location \"mars01\""), "{text}");
    assert!(text.contains("jkt01, jkt02, sgp01"), "{text}");
    assert!(env.api().writes().is_empty());
}

/// The provider and 12 floating IPs named `PREFIX-0` to `PREFIX-11`.
fn twelve_floating_ips(prefix: &str) -> String {
    let ips = format!("  count = 12\n  name  = \"{prefix}-${{count.index}}\"");
    hcl::with_provider(&hcl::resource("idcloudhost_floating_ip", "ip", &ips))
}

#[test]
fn defaults_are_asked_for_once_per_process() {
    let env = Env::new();
    env.write_config(&format!(
        "{}{}",
        twelve_floating_ips("ip"),
        hcl::named("idcloudhost_network", "app", "app", "")
    ));
    env.api().clear_requests();
    env.tf_ok(&["apply", "-auto-approve", "-no-color", "-parallelism=10"]);
    assert_eq!(env.api().list("jkt01", "network/ip_addresses").len(), 12);
    // One provider process plans, another applies (and plans again): each asks
    // once, however many writes happen in between (a write used to drop these
    // lists with every other, so each wave of creates asked again).
    assert_eq!(gets_of(&env, LOCATIONS), 2);
    assert_eq!(gets_of(&env, BILLING_ACCOUNTS), 2);
    env.destroy();
}

#[test]
fn a_wave_of_creates_lists_once_per_process() {
    let env = Env::new();
    env.write_config(&twelve_floating_ips("wave"));
    env.api().clear_requests();
    // Three waves of four creates in one provider process.
    env.tf_ok(&["apply", "-auto-approve", "-no-color", "-parallelism=4"]);
    // The list a create's recovery compares with is taken once for all of them:
    // the creates' own answers say what they made (a plan never lists them).
    let lists = gets_of(&env, "/v1/jkt01/network/ip_addresses");
    assert_eq!(lists, 1, "{:?}", env.api().requests());
    assert_eq!(env.api().list("jkt01", "network/ip_addresses").len(), 12);
    env.destroy();
}
