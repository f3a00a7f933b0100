//! `idcloudhost_billing_accounts` through the real terraform binary: what the API
//! lists, with the default one at top level.

mod common;

use common::{terraform_1_0_binary, Env};
use serde_json::Value;

const CONFIG: &str = r#"
provider "idcloudhost" {}
data "idcloudhost_billing_accounts" "all" {}
output "accounts" { value = data.idcloudhost_billing_accounts.all.accounts }
output "default_id" { value = data.idcloudhost_billing_accounts.all.default_id }
"#;

fn check_against_api(env: &Env) {
    let outputs = env.outputs();
    let served = env.api().get("/v1/payment/billing_account/list");
    let served = served.as_array().unwrap();
    let got = outputs["accounts"].as_array().unwrap();
    assert!(served.len() >= 2, "the simulator serves several accounts");
    assert_eq!(got.len(), served.len());
    for (g, s) in got.iter().zip(served) {
        for key in [
            "id",
            "title",
            "email",
            "is_default",
            "is_active",
            "can_pay",
            "credit_amount",
            "unpaid_amount",
            "created",
        ] {
            assert_eq!(
                g[key].as_f64().map(Value::from).unwrap_or(g[key].clone()),
                s[key].as_f64().map(Value::from).unwrap_or(s[key].clone()),
                "{key} of account {}",
                s["id"]
            );
        }
    }
    let default = served.iter().find(|a| a["is_default"] == true).unwrap();
    assert_eq!(outputs["default_id"], default["id"]);
}

#[test]
fn billing_accounts_list_what_the_api_serves_with_the_default_on_top() {
    let env = Env::applied(CONFIG);
    check_against_api(&env);
    assert!(env.api().writes().is_empty(), "a data source never writes");
}

#[test]
fn billing_accounts_under_terraform_1_0() {
    let env = Env::with_terraform(terraform_1_0_binary());
    env.apply_config(CONFIG);
    check_against_api(&env);
}
