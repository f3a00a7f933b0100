mod common;

use common::*;
use serde_json::{json, Value};

#[test]
fn auth_missing_and_invalid_key() {
    let t = start();
    let (s, b) = done(
        t.client
            .get(t.url("/v1/config/locations"))
            .send()
            .expect("send"),
    );
    assert_eq!(s, 401);
    assert_eq!(b, json!({"message": "No API key found in request"}));

    let (s, b) = done(
        t.req_key("nope", "GET", "/v1/config/locations")
            .send()
            .expect("send"),
    );
    assert_eq!(s, 403);
    assert_eq!(b, json!({"message": "Invalid authentication credentials"}));

    let (s, b) = t.get("/v1/config/locations");
    assert_eq!(s, 200);
    assert_eq!(b.as_array().map(|a| a.len()), Some(3));
}

#[test]
fn default_config_accepts_only_sim_key() {
    let sim =
        idcloudhost_sim::Simulator::start(idcloudhost_sim::SimConfig::default()).expect("start");
    let c = reqwest::blocking::Client::new();
    let ok = c
        .get(format!("{}/v1/config/locations", sim.url()))
        .header("apikey", "sim-key")
        .send()
        .expect("send");
    assert_eq!(ok.status().as_u16(), 200);
    let bad = c
        .get(format!("{}/v1/config/locations", sim.url()))
        .header("apikey", "other")
        .send()
        .expect("send");
    assert_eq!(bad.status().as_u16(), 403);
    assert!(sim.url().starts_with("http://127.0.0.1:"));
    assert!(!sim.url().ends_with('/'));
}

#[test]
fn an_extra_location_is_served_only_when_configured() {
    let t = start_config(idcloudhost_sim::SimConfig {
        api_keys: vec!["sim-key".into()],
        extra_locations: vec!["sby01".into()],
        ..Default::default()
    });
    let (s, b) = t.get("/v1/config/locations");
    assert_eq!(s, 200);
    let slugs: Vec<&str> = b
        .as_array()
        .expect("a list")
        .iter()
        .map(|l| l["slug"].as_str().expect("a slug"))
        .collect();
    assert_eq!(slugs, ["jkt01", "jkt02", "sgp01", "sby01"]);
    assert_eq!(b[3]["is_default"], json!(false));
    let vm = [
        ("name", "x"),
        ("os_name", "ubuntu"),
        ("os_version", "22.04-lts"),
        ("vcpu", "1"),
        ("ram", "1024"),
        ("disks", "20"),
    ];
    let (s, made) = t.form("POST", "/v1/sby01/user-resource/vm", &vm);
    assert_eq!(s, 200, "{made}");
    let (s, listed) = t.get("/v1/sby01/user-resource/vm/list");
    assert_eq!((s, listed.as_array().map(Vec::len)), (200, Some(1)));
    let (s, jkt01) = t.get("/v1/jkt01/user-resource/vm/list");
    assert_eq!((s, jkt01.as_array().map(Vec::len)), (200, Some(0)));
    // The default simulator serves the documents' three locations only.
    let plain = start();
    assert_eq!(plain.get("/v1/sby01/user-resource/vm/list").0, 404);
}

#[test]
fn unknown_slug_is_404_with_message() {
    let t = start();
    for p in [
        "/v1/xyz99/user-resource/vm/list",
        "/v1/xyz99/user-resource/host_pool/list",
        "/v1/nonsense",
    ] {
        let (s, b) = t.get(p);
        assert_eq!(s, 404, "{p}");
        assert_eq!(
            b,
            json!({"message": "no route and no API found with those values"}),
            "{p}"
        );
    }
    // a global endpoint is not served under a slug
    let (s, _) = t.get("/v1/jkt02/config/locations");
    assert_eq!(s, 404);
}

#[test]
fn host_pools_per_location() {
    let t = start();
    let (s, def) = t.get("/v1/user-resource/host_pool/list");
    assert_eq!(s, 200);
    let (_, jkt01) = t.get("/v1/jkt01/user-resource/host_pool/list");
    assert_eq!(def, jkt01);
    let (_, sgp) = t.get("/v1/sgp01/user-resource/host_pool/list");
    let p = &sgp[0];
    assert_eq!(p["is_default_designated"], json!(true));
    assert_eq!(p["guest_limits"]["cpu"]["max"], json!(8));
    let d = def
        .as_array()
        .expect("array")
        .iter()
        .find(|p| p["is_default_designated"] == json!(true))
        .expect("default pool");
    assert_eq!(d["guest_limits"]["cpu"]["max"], json!(16));
    assert_eq!(d["guest_limits"]["ram_mb"]["min"], json!(512));
    assert_eq!(d["guest_limits"]["disk_gb"]["min"], json!(20));
}

#[test]
fn catalogue_endpoints() {
    let t = start();
    let (s, all) = t.get("/v1/config/vm_images");
    assert_eq!(s, 200);
    let (_, plain) = t.get("/v1/config/vm_images/plain_os");
    let (_, apps) = t.get("/v1/config/vm_images/app_catalog");
    let n = |v: &Value| v.as_array().map(|a| a.len()).unwrap_or(0);
    assert_eq!(n(&all), n(&plain) + n(&apps));
    assert!(plain
        .as_array()
        .expect("array")
        .iter()
        .all(|i| i["is_app_catalog"] == json!(false)));
    let ubuntu = plain
        .as_array()
        .expect("array")
        .iter()
        .find(|i| i["os_name"] == "ubuntu")
        .expect("ubuntu");
    assert!(ubuntu["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .any(|v| v["published"] == json!(false)));
    let (_, boot) = t.get("/v1/config/boot_images");
    assert!(n(&boot) >= 3);
    let (_, params) = t.get("/v1/api/parameters/vm");
    let name = params
        .as_array()
        .expect("array")
        .iter()
        .find(|p| p["parameter"] == "name")
        .expect("name");
    assert!(name.get("expression").is_none());
    let pk = params
        .as_array()
        .expect("array")
        .iter()
        .find(|p| p["parameter"] == "public_key")
        .expect("public_key");
    assert_eq!(pk["mandatory"], json!(false));
}

#[test]
fn billing_accounts_per_account() {
    let t = start_with(&["k1", "k2"]);
    let (s, a) = t.get("/v1/payment/billing_account/list");
    assert_eq!(s, 200);
    let (_, b) = done(
        t.req_key("k2", "GET", "/v1/payment/billing_account/list")
            .send()
            .expect("send"),
    );
    assert_eq!(a.as_array().map(|x| x.len()), Some(2));
    assert_ne!(a[0]["id"], b[0]["id"]);
    assert_ne!(a[0]["user_id"], b[0]["user_id"]);
}

#[test]
fn request_log_records_calls() {
    let t = start();
    t.get("/v1/jkt02/user-resource/host_pool/list");
    done(
        t.client
            .get(t.url("/v1/config/locations?x=1"))
            .header("user-agent", "sim-test/1")
            .send()
            .expect("send"),
    );
    let (s, log) = t.ctl("GET", "/__sim/requests", None);
    assert_eq!(s, 200);
    assert_eq!(
        log,
        json!([
            {"method": "GET", "path": "/v1/jkt02/user-resource/host_pool/list", "status": 200,
             "user_agent": null},
            {"method": "GET", "path": "/v1/config/locations", "status": 401,
             "user_agent": "sim-test/1"}
        ])
    );
    let (s, _) = t.ctl("DELETE", "/__sim/requests", None);
    assert!(s == 200 || s == 204);
    let (_, log) = t.ctl("GET", "/__sim/requests", None);
    assert_eq!(log, json!([]));
}

#[test]
fn faults_inject_and_stop() {
    let t = start();
    let (s, _) = t.ctl(
        "POST",
        "/__sim/faults",
        Some(json!({"error_rate": 1.0, "statuses": [429], "latency_ms": 0})),
    );
    assert_eq!(s, 200);
    for _ in 0..5 {
        let r = t.req("GET", "/v1/config/locations").send().expect("send");
        assert_eq!(r.status().as_u16(), 429);
        assert_eq!(
            r.headers().get("retry-after").and_then(|v| v.to_str().ok()),
            Some("0")
        );
    }
    t.ctl(
        "POST",
        "/__sim/faults",
        Some(json!({"error_rate": 1.0, "statuses": [503]})),
    );
    let (s, _) = t.get("/v1/config/locations");
    assert_eq!(s, 503);
    let (s, _) = t.ctl("DELETE", "/__sim/faults", None);
    assert!(s == 200 || s == 204);
    let (s, _) = t.get("/v1/config/locations");
    assert_eq!(s, 200);

    // partial rate: some fail, some pass
    t.ctl(
        "POST",
        "/__sim/faults",
        Some(json!({"error_rate": 0.5, "statuses": [503]})),
    );
    let mut fails = 0;
    for _ in 0..60 {
        if t.get("/v1/config/locations").0 == 503 {
            fails += 1;
        }
    }
    assert!(fails > 5 && fails < 55, "fails={fails}");
}

#[test]
fn seeded_faults_fail_the_same_requests_every_time() {
    let t = start();
    let pattern = || {
        t.ctl(
            "POST",
            "/__sim/faults",
            Some(json!({"error_rate": 0.3, "statuses": [429, 503], "seed": 7})),
        );
        (0..40)
            .map(|_| t.get("/v1/config/locations").0)
            .collect::<Vec<u16>>()
    };
    let first = pattern();
    assert!(first.contains(&200) && first.iter().any(|s| *s != 200));
    assert_eq!(first, pattern(), "the same seed fails the same requests");
}

#[test]
fn effect_delay_serves_other_requests_meanwhile() {
    let t = start();
    t.ctl(
        "POST",
        "/__sim/faults",
        Some(json!({"method": "POST", "path_contains": "network/network",
                    "effect_delay_ms": 600, "error_rate": 1.0, "statuses": [504],
                    "after_effect": true})),
    );
    let url = t.url("/v1/jkt01/network/network?name=slow");
    let key = t.key.clone();
    let slow = std::thread::spawn(move || {
        reqwest::blocking::Client::new()
            .post(url)
            .header("apikey", key)
            .send()
            .map(|r| r.status().as_u16())
    });
    std::thread::sleep(std::time::Duration::from_millis(200));
    let started = std::time::Instant::now();
    let (status, before) = t.get("/v1/jkt01/network/networks");
    assert_eq!(status, 200);
    assert!(started.elapsed() < std::time::Duration::from_millis(300));
    assert_eq!(before, json!([]), "not in effect yet");
    assert_eq!(slow.join().unwrap().unwrap(), 504, "the answer is lost");
    let (_, after) = t.get("/v1/jkt01/network/networks");
    assert_eq!(after[0]["name"], "slow", "in effect after the delay");
}

#[test]
fn form_plus_is_a_literal_plus() {
    let t = start();
    // A client sending `+` for a space (the wrong encoding) gets a `+`.
    let r = t
        .req("POST", "/v1/jkt01/storage/disks")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("size_gb=20&source_image_type=EMPTY&display_name=a+b%20c%2Bd")
        .send()
        .expect("send");
    let (status, disk) = done(r);
    assert!(status < 300, "{disk}");
    assert_eq!(disk["display_name"], "a+b c+d");
}

#[test]
fn reset_clears_log_and_faults() {
    let t = start();
    t.get("/v1/config/locations");
    t.ctl("POST", "/__sim/faults", Some(json!({"error_rate": 1.0})));
    let (s, _) = t.ctl("POST", "/__sim/reset", None);
    assert_eq!(s, 200);
    let (_, log) = t.ctl("GET", "/__sim/requests", None);
    assert_eq!(log, json!([]));
    assert_eq!(t.get("/v1/config/locations").0, 200);
}

#[test]
fn binary_prints_listening_line() {
    use std::io::BufRead;
    let exe = env!("CARGO_BIN_EXE_idcloudhost-sim");
    let mut child = std::process::Command::new(exe)
        .args(["--listen", "127.0.0.1:0", "--api-key", "abc"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read");
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .expect("prefix")
        .to_string();
    assert!(url.starts_with("http://127.0.0.1:"));
    assert!(!url.ends_with(":0"));
    let r = reqwest::blocking::Client::new()
        .get(format!("{url}/v1/config/locations"))
        .header("apikey", "abc")
        .send()
        .expect("send");
    assert_eq!(r.status().as_u16(), 200);
    let _ = child.kill();
    let _ = child.wait();
}
