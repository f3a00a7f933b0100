//! Object storage (`idcloudhost_bucket`, `idcloudhost_s3_credential`, the
//! `idcloudhost_s3_endpoint` data source) through the real terraform binary
//! against the simulator.

mod common;

use common::{hcl, Action, Env};
use idcloudhost_sim::{SimConfig, Simulator};
use reqwest::Method;
use serde_json::{json, Value};

const OTHER_KEY: &str = "other-account-key";
const BUCKET: &str = "idcloudhost_bucket.b";

fn bucket_config(name: &str, extra: &str) -> String {
    hcl::with_provider(&hcl::named("idcloudhost_bucket", "b", name, extra))
}

fn buckets(env: &Env) -> Vec<Value> {
    env.api().get_list("/v1/storage/bucket/list")
}

fn served_bucket(env: &Env, name: &str) -> Option<Value> {
    buckets(env).into_iter().find(|b| b["name"] == name)
}

fn put_objects(env: &Env, bucket: &str, count: i64, size_bytes: i64) {
    env.api().post(
        &format!("/__sim/buckets/{bucket}/objects"),
        json!({"count": count, "size_bytes": size_bytes}),
    );
}

fn clear_objects(env: &Env, bucket: &str) {
    env.api()
        .delete(&format!("/__sim/buckets/{bucket}/objects"));
}

fn keys(env: &Env) -> Vec<Value> {
    env.api().get_list("/v1/storage/user/keys")
}

fn secret_of(env: &Env, access_key: &str) -> Option<String> {
    keys(env)
        .iter()
        .find(|k| k["accessKey"] == access_key)
        .map(|k| k["secretKey"].as_str().unwrap().to_owned())
}

#[test]
fn bucket_lifecycle_billing_drift_objects_rename_destroy() {
    let env = Env::new();
    let (default_billing, other_billing) = env.api().default_and_other_billing();
    env.write_config(&bucket_config("tf-logs", ""));
    let plan = env.plan_check();
    plan.assert_only(&[(BUCKET, Action::Create)]);
    assert_eq!(
        plan.after(BUCKET)["billing_account_id"],
        default_billing,
        "the default billing account is known at plan time:\n{}",
        plan.text()
    );
    env.apply();
    let state = env.resource("idcloudhost_bucket.b");
    let served = served_bucket(&env, "tf-logs").expect("bucket created");
    assert_eq!(state["id"], "tf-logs");
    assert_eq!(state["name"], "tf-logs");
    assert_eq!(state["billing_account_id"], default_billing);
    assert_eq!(served["billing_account_id"], default_billing);
    assert_eq!(state["size_bytes"], 0);
    assert_eq!(state["num_objects"], 0);
    assert_eq!(state["is_suspended"], false);
    assert_eq!(state["created_at"], served["created_at"]);
    assert_eq!(state["modified_at"], served["modified_at"]);
    assert!(state.get("location").is_none(), "buckets are global");
    env.assert_no_changes();
    // The bucket is created form-encoded by PUT on the global path.
    assert!(env
        .api()
        .requests()
        .iter()
        .any(|(m, p, s)| m == "PUT" && p == "/v1/storage/bucket" && *s == 200));

    // A refresh costs one list call, no per-bucket GET.
    env.api().clear_requests();
    env.assert_no_changes();
    let storage_calls: Vec<_> = env
        .api()
        .requests()
        .into_iter()
        .filter(|(_, p, _)| p.starts_with("/v1/storage"))
        .collect();
    assert_eq!(
        storage_calls,
        vec![("GET".to_owned(), "/v1/storage/bucket/list".to_owned(), 200)]
    );

    // Billing account changed in place: same bucket, the API has the new account.
    env.write_config(&bucket_config(
        "tf-logs",
        &format!("billing_account_id = {other_billing}"),
    ));
    env.plan_check().assert_only(&[(BUCKET, Action::Update)]);
    env.apply();
    let state = env.resource("idcloudhost_bucket.b");
    assert_eq!(state["id"], "tf-logs");
    assert_eq!(state["billing_account_id"], other_billing);
    assert_eq!(
        served_bucket(&env, "tf-logs").unwrap()["billing_account_id"],
        other_billing
    );
    assert!(env
        .api()
        .requests()
        .iter()
        .any(|(m, p, _)| m == "PATCH" && p == "/v1/storage/bucket"));
    env.assert_no_changes();

    // Billing account changed outside Terraform: the plan changes exactly it back.
    env.api().patch_form(
        "/v1/storage/bucket",
        &[
            ("name", "tf-logs"),
            ("billing_account_id", &default_billing.to_string()),
        ],
    );
    let plan = env.plan_check();
    plan.assert_only(&[(BUCKET, Action::Update)]);
    assert_eq!(plan.before(BUCKET)["billing_account_id"], default_billing);
    assert_eq!(plan.after(BUCKET)["billing_account_id"], other_billing);
    assert_eq!(
        plan.known_changes(BUCKET),
        vec!["billing_account_id"],
        "{}",
        plan.text()
    );
    assert!(
        !plan.changed_attributes(BUCKET).contains(&"name".to_owned()),
        "{}",
        plan.text()
    );
    env.apply();
    assert_eq!(
        served_bucket(&env, "tf-logs").unwrap()["billing_account_id"],
        other_billing
    );
    env.assert_no_changes();

    // Objects written through S3 change size and count without a diff.
    put_objects(&env, "tf-logs", 3, 4096);
    env.assert_no_changes();
    env.refresh_only();
    let state = env.resource("idcloudhost_bucket.b");
    assert_eq!(state["num_objects"], 3);
    assert_eq!(state["size_bytes"], 4096);
    env.assert_no_changes();

    // A non-empty bucket is not deleted: a clear error, the bucket stays.
    let result = env.tf(&["destroy", "-auto-approve", "-no-color"]);
    result.assert_failed();
    result.assert_mentions("Bucket \"tf-logs\" is not empty");
    result.assert_mentions("3 object(s)");
    result.assert_mentions("S3 API");
    assert!(served_bucket(&env, "tf-logs").is_some());
    assert!(!env
        .api()
        .writes()
        .iter()
        .any(|(m, p, _)| m == "DELETE" && p == "/v1/storage/bucket"));

    // Renaming replaces the (emptied) bucket.
    clear_objects(&env, "tf-logs");
    env.write_config(&bucket_config(
        "tf-logs-2",
        &format!("billing_account_id = {other_billing}"),
    ));
    let plan = env.plan_check();
    plan.assert_only(&[(BUCKET, Action::Replace)]);
    assert_eq!(plan.replace_paths(BUCKET), vec!["name"], "{}", plan.text());
    env.apply();
    let state = env.resource("idcloudhost_bucket.b");
    assert_eq!(state["id"], "tf-logs-2");
    assert!(served_bucket(&env, "tf-logs").is_none());
    assert_eq!(
        served_bucket(&env, "tf-logs-2").unwrap()["billing_account_id"],
        other_billing
    );

    // Deleted outside Terraform: the plan creates it again.
    env.api()
        .delete_form("/v1/storage/bucket", &[("name", "tf-logs-2")]);
    env.plan_check().assert_only(&[(BUCKET, Action::Create)]);
    env.apply();
    assert!(served_bucket(&env, "tf-logs-2").is_some());

    env.destroy();
    assert!(buckets(&env).is_empty(), "{:?}", buckets(&env));
}

#[test]
fn bucket_import_by_name_then_no_changes() {
    let env = Env::new();
    let (_, other_billing) = env.api().default_and_other_billing();
    let created = env.api().form(
        Method::PUT,
        "/v1/storage/bucket",
        &[
            ("name", "imported.assets"),
            ("billing_account_id", &other_billing.to_string()),
        ],
    );
    put_objects(&env, "imported.assets", 2, 10);
    env.write_config(&bucket_config(
        "imported.assets",
        &format!("billing_account_id = {other_billing}"),
    ));
    env.import_ok("idcloudhost_bucket.b", "imported.assets");
    env.assert_no_changes();
    let state = env.resource("idcloudhost_bucket.b");
    assert_eq!(state["id"], "imported.assets");
    assert_eq!(state["name"], "imported.assets");
    assert_eq!(state["billing_account_id"], other_billing);
    assert_eq!(state["created_at"], created["created_at"]);
    assert_eq!(state["num_objects"], 2);
    assert_eq!(state["size_bytes"], 10);

    // A name that does not exist cannot be imported.
    env.write_config(&format!(
        "{}\nresource \"idcloudhost_bucket\" \"x\" {{\n  name = \"no-such-bucket\"\n}}\n",
        bucket_config(
            "imported.assets",
            &format!("billing_account_id = {other_billing}"),
        )
    ));
    let result = env.import("idcloudhost_bucket.x", "no-such-bucket");
    result.assert_failed();
    result.assert_mentions("Cannot import non-existent remote object");
}

#[test]
fn invalid_bucket_names_fail_at_plan_and_create_nothing() {
    let env = Env::new();
    let cases = [
        ("ab", "3 to 63 characters"),
        ("My_Bucket", "lowercase letters, digits, hyphens and dots"),
        ("-logs", "start and end with a lowercase letter or a digit"),
        ("logs.", "start and end with a lowercase letter or a digit"),
        ("my..bucket", "two adjacent dots"),
        ("192.168.5.4", "IPv4 address"),
        ("xn--bucket", "must not start with \\\"xn--\\\""),
        ("data-s3alias", "must not end with \\\"-s3alias\\\""),
    ];
    for (name, rule) in cases {
        env.write_config(&bucket_config(name, ""));
        let plan = env.plan();
        assert_eq!(plan.code, 1, "{name}: {}", plan.all());
        let text = plan.all().replace('\n', " ");
        assert!(text.contains("Invalid value for name"), "{name}: {text}");
        let rule = rule.replace("\\\"", "\"");
        assert!(text.contains(&rule), "{name}: expected {rule:?} in {text}");
    }
    env.write_config(&bucket_config(&"a".repeat(64), ""));
    let plan = env.plan();
    assert_eq!(plan.code, 1);
    plan.assert_mentions("(it has 64)");
    assert!(env.api().writes().is_empty(), "{:?}", env.api().writes());
    assert!(buckets(&env).is_empty());
}

#[test]
fn bucket_name_taken_fails_with_the_apis_message() {
    let mut env = Env::new();
    // Two accounts on one simulator: the test's key and another customer's.
    env.sim = Simulator::start(SimConfig {
        api_keys: vec![env.api_key.clone(), OTHER_KEY.to_owned()],
        ..SimConfig::default()
    })
    .expect("simulator starts");
    let mut other = env.api();
    other.key = OTHER_KEY.to_owned();
    other.form(
        Method::PUT,
        "/v1/storage/bucket",
        &[("name", "popular-name")],
    );

    env.write_config(&bucket_config("popular-name", ""));
    let result = env.apply_fails();
    let text = result.all();
    assert!(
        text.contains("Bucket with this name already exists."),
        "the API's message: {text}"
    );
    assert!(text.contains("taken by another account"), "{text}");
    assert!(buckets(&env).is_empty());
    assert!(env.tf_ok(&["state", "list"]).stdout.trim().is_empty());

    // A bucket of this very account that Terraform does not track: told to import it.
    env.api().form(
        Method::PUT,
        "/v1/storage/bucket",
        &[("name", "mine-already")],
    );
    env.write_config(&bucket_config("mine-already", ""));
    let result = env.apply_fails();
    result.assert_mentions("already exists in this account");
    result.assert_mentions("terraform import");
}

/// Replacing a bucket that holds objects stops at its delete with the clear
/// message; the old bucket stays tracked and no new one is made. (The API's own
/// refusal, for objects written between the check and the DELETE, is mapped to the
/// same message: unit test `recognises_the_not_empty_refusal` in src/api/storage.rs.)
#[test]
fn replacing_a_non_empty_bucket_stops_with_a_clear_error() {
    let env = Env::applied(&bucket_config("keep-me", ""));
    put_objects(&env, "keep-me", 1, 1);
    env.write_config(&bucket_config("keep-me-2", ""));
    let result = env.apply_fails();
    result.assert_mentions("Bucket \"keep-me\" is not empty");
    result.assert_mentions("1 object(s) (1 bytes)");
    // Nothing was replaced: the old bucket stays, tracked; no new bucket.
    assert!(served_bucket(&env, "keep-me").is_some());
    assert!(served_bucket(&env, "keep-me-2").is_none());
    assert_eq!(env.resource("idcloudhost_bucket.b")["id"], "keep-me");
}

fn credential_config(count: usize) -> String {
    let mut text = String::from("provider \"idcloudhost\" {}\n");
    text.push_str("resource \"idcloudhost_s3_credential\" \"a\" {}\n");
    if count > 0 {
        text.push_str(&format!(
            "resource \"idcloudhost_s3_credential\" \"more\" {{\n  count = {count}\n}}\n"
        ));
    }
    text.push_str(
        "output \"secret\" {\n  value = idcloudhost_s3_credential.a.secret_key\n  sensitive = true\n}\n",
    );
    text
}

#[test]
fn s3_credential_create_drift_import_destroy() {
    let env = Env::new();
    // A fresh account has no object storage user yet.
    let keys_before = env.api().http_status("/v1/storage/user/keys");
    assert_eq!(keys_before, 404);

    env.apply_config(&credential_config(0));
    let a = env.resource("idcloudhost_s3_credential.a");
    let access = a["access_key"].as_str().unwrap().to_owned();
    assert_eq!(a["id"], access.as_str());
    let served = keys(&env);
    assert_eq!(served.len(), 1, "no extra key left behind: {served:?}");
    assert_eq!(served[0]["accessKey"], access.as_str());
    assert_eq!(a["secret_key"], served[0]["secretKey"]);
    assert_eq!(a["user_id"], served[0]["userId"]);
    assert_eq!(env.outputs()["secret"], served[0]["secretKey"]);
    let show = env.tf_ok(&["show", "-no-color"]);
    assert!(
        !show
            .stdout
            .contains(served[0]["secretKey"].as_str().unwrap()),
        "the secret is sensitive"
    );
    env.assert_no_changes();

    // Two more at once: each gets its own new pair.
    env.apply_config(&credential_config(2));
    let more: Vec<Value> = (0..2)
        .map(|i| env.resource(&format!("idcloudhost_s3_credential.more[{i}]")))
        .collect();
    let served = keys(&env);
    assert_eq!(served.len(), 3, "{served:?}");
    let mut seen = vec![access.clone()];
    for key in &more {
        let k = key["access_key"].as_str().unwrap().to_owned();
        assert!(!seen.contains(&k), "distinct keys: {k}");
        assert_eq!(
            Some(key["secret_key"].as_str().unwrap().to_owned()),
            secret_of(&env, &k)
        );
        seen.push(k);
    }
    env.assert_no_changes();

    // Deleted outside Terraform: the plan creates a new pair.
    env.api()
        .delete_form("/v1/storage/user/keys", &[("access_key", &access)]);
    env.plan_check()
        .assert_only(&[("idcloudhost_s3_credential.a", Action::Create)]);
    env.apply();
    let a = env.resource("idcloudhost_s3_credential.a");
    let new_access = a["access_key"].as_str().unwrap().to_owned();
    assert_ne!(new_access, access);
    assert_eq!(
        Some(a["secret_key"].as_str().unwrap().to_owned()),
        secret_of(&env, &new_access)
    );
    assert_eq!(keys(&env).len(), 3);

    // Import by access key: the secret comes from the API's key list.
    let generated = env.api().post_form("/v1/storage/user/keys", &[]);
    let fresh = generated
        .as_array()
        .unwrap()
        .iter()
        .find(|k| {
            let k = k["accessKey"].as_str().unwrap();
            !seen.iter().any(|s| s == k) && k != new_access
        })
        .cloned()
        .expect("a generated key");
    let fresh_access = fresh["accessKey"].as_str().unwrap().to_owned();
    let mut config = credential_config(2);
    config.push_str("resource \"idcloudhost_s3_credential\" \"imported\" {}\n");
    env.write_config(&config);
    env.import_ok("idcloudhost_s3_credential.imported", &fresh_access);
    env.assert_no_changes();
    let imported = env.resource("idcloudhost_s3_credential.imported");
    assert_eq!(imported["id"], fresh_access.as_str());
    assert_eq!(imported["access_key"], fresh_access.as_str());
    assert_eq!(imported["secret_key"], fresh["secretKey"]);

    // An access key the account does not have cannot be imported.
    let mut with_nope = config.clone();
    with_nope.push_str("resource \"idcloudhost_s3_credential\" \"nope\" {}\n");
    env.write_config(&with_nope);
    let result = env.import("idcloudhost_s3_credential.nope", "NOSUCHACCESSKEY00000");
    result.assert_failed();
    result.assert_mentions("Cannot import non-existent remote object");
    env.write_config(&config);

    // Destroy deletes every managed pair.
    env.destroy();
    assert!(keys(&env).is_empty(), "{:?}", keys(&env));
    assert!(env
        .api()
        .requests()
        .iter()
        .any(|(m, p, s)| m == "DELETE" && p == "/v1/storage/user/keys" && *s == 200));
}

#[test]
fn s3_credential_without_object_storage_is_an_error_not_gone() {
    let env = Env::applied(&credential_config(0));
    let access = env.resource("idcloudhost_s3_credential.a")["access_key"]
        .as_str()
        .unwrap()
        .to_owned();
    // The account loses its object storage (the simulator's reset removes it).
    let resp = reqwest::blocking::Client::new()
        .post(format!("{}/__sim/reset", env.sim.url()))
        .send()
        .unwrap();
    assert!(resp.status().is_success());
    assert_eq!(env.api().http_status("/v1/storage/user/keys"), 404);

    let plan = env.plan();
    assert_eq!(plan.code, 1, "an error, not a re-create: {}", plan.all());
    plan.assert_mentions("Storage account not found.");
    plan.assert_mentions("no object storage");
    assert!(!plan.all().contains("will be created"), "{}", plan.all());
    // Still tracked.
    assert_eq!(
        env.tf_ok(&["state", "list"]).stdout.trim(),
        "idcloudhost_s3_credential.a"
    );
    assert!(!access.is_empty());
}

#[test]
fn s3_endpoint_data_source_returns_the_apis_url() {
    let env = Env::applied(
        r#"
provider "idcloudhost" {}
data "idcloudhost_s3_endpoint" "s3" {}
output "url" { value = data.idcloudhost_s3_endpoint.s3.url }
output "id" { value = data.idcloudhost_s3_endpoint.s3.id }
"#,
    );
    let served = env.api().get("/v1/storage/api/s3");
    let outputs = env.outputs();
    assert_eq!(outputs["url"], served["url"]);
    assert_eq!(outputs["url"], "https://s3.idcloudhost.com:8080/");
    assert_eq!(outputs["id"], served["url"]);
}

/// Status of a GET through the API key, without asserting success.
trait HttpStatus {
    fn http_status(&self, path: &str) -> u16;
}

impl HttpStatus for common::Api {
    fn http_status(&self, path: &str) -> u16 {
        reqwest::blocking::Client::new()
            .get(format!("{}{path}", self.base))
            .header("apikey", &self.key)
            .send()
            .expect("simulator reachable")
            .status()
            .as_u16()
    }
}

/// A bucket and a credential in one configuration, in every creation order: the
/// account's first bucket also creates its storage user with a key pair of its
/// own; nothing unmanaged (no key pair, no secret) remains, before or after destroy.
#[test]
fn bucket_and_credential_leave_no_unmanaged_key_pair_in_any_order() {
    for (order, bucket_extra, credential_extra) in [
        ("no depends_on", "", ""),
        ("bucket first", "", "depends_on = [idcloudhost_bucket.b]"),
        (
            "credential first",
            "depends_on = [idcloudhost_s3_credential.c]",
            "",
        ),
    ] {
        let env = Env::new();
        assert_eq!(env.api().http_status("/v1/storage/user/keys"), 404);
        env.apply_config(&format!(
            "{}resource \"idcloudhost_s3_credential\" \"c\" {{\n  {credential_extra}\n}}\n",
            bucket_config("first-bucket", bucket_extra)
        ));
        let access = env.resource("idcloudhost_s3_credential.c")["access_key"]
            .as_str()
            .unwrap()
            .to_owned();
        let served: Vec<Value> = keys(&env);
        assert_eq!(
            served
                .iter()
                .map(|k| k["accessKey"].clone())
                .collect::<Vec<_>>(),
            vec![json!(access)],
            "{order}: only the managed key pair exists"
        );
        env.assert_no_changes();
        env.destroy();
        assert_eq!(keys(&env), Vec::<Value>::new(), "{order}: no key pair left");
        assert!(buckets(&env).is_empty(), "{order}");
    }
}
