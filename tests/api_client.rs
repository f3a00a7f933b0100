//! The API client against the simulator: retries only what is safe to repeat,
//! error kinds, and the per-process list cache.

use std::time::Duration;

use idcloudhost_sim::{SimConfig, Simulator};
use serde_json::{json, Value};
use terraform_provider_idcloudhost::api::models::config::Location;
use terraform_provider_idcloudhost::api::{network, ApiClient, ClientConfig, ErrorKind, Loc};

fn client_with(sim: &Simulator, max_retries: u32) -> ApiClient {
    client(sim, max_retries)
}

fn client(sim: &Simulator, max_retries: u32) -> ApiClient {
    let mut config = ClientConfig::new(sim.url(), "sim-key");
    config.max_retries = max_retries;
    config.base_backoff = Duration::from_millis(1);
    config.max_backoff = Duration::from_millis(5);
    ApiClient::new(config).unwrap()
}

fn control(sim: &Simulator, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
    let http = reqwest::blocking::Client::new();
    let mut req = http.request(method, format!("{}/__sim/{path}", sim.url()));
    if let Some(body) = body {
        req = req.json(&body);
    }
    req.send().unwrap().json().unwrap_or(Value::Null)
}

/// `(method, path)` of every API request so far.
fn requests(sim: &Simulator) -> Vec<(String, String)> {
    control(sim, reqwest::Method::GET, "requests", None)
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["method"].as_str().unwrap().to_owned(),
                r["path"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn faults(sim: &Simulator, faults: Value) {
    control(sim, reqwest::Method::POST, "faults", Some(faults));
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn get_is_retried_on_503_up_to_max_retries() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    faults(&sim, json!({"error_rate": 1.0, "statuses": [503]}));
    let err = runtime()
        .block_on(
            client(&sim, 3)
                .get(Loc::Global, "config/locations")
                .send::<Vec<Location>>(),
        )
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Server);
    assert_eq!(err.status, Some(503));
    assert!(
        err.to_string().contains("GET /v1/config/locations"),
        "{err}"
    );
    assert_eq!(requests(&sim).len(), 4, "one try and three retries");
}

#[test]
fn get_succeeds_through_intermittent_faults() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    faults(
        &sim,
        json!({"error_rate": 0.3, "statuses": [429, 502, 503, 504]}),
    );
    let rt = runtime();
    let client = client(&sim, 12);
    for _ in 0..20 {
        let locations: Vec<Location> = rt
            .block_on(client.get(Loc::Global, "config/locations").send())
            .expect("retries hide intermittent failures");
        assert_eq!(locations.len(), 3);
    }
    assert!(requests(&sim).len() > 20, "some requests were retried");
}

#[test]
fn a_500_is_not_retried_and_keeps_the_api_message() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    faults(&sim, json!({"error_rate": 1.0, "statuses": [500]}));
    let err = runtime()
        .block_on(
            client(&sim, 4)
                .get(Loc::Global, "config/locations")
                .send::<Vec<Location>>(),
        )
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Server);
    assert!(!err.message.is_empty());
    assert_eq!(requests(&sim).len(), 1);
}

#[test]
fn a_post_answered_503_is_sent_again_only_after_a_fresh_lookup_found_nothing() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let rt = runtime();
    let client = client(&sim, 3);
    let posts = |sim: &Simulator| requests(sim).iter().filter(|(m, _)| m == "POST").count();
    // Refused before anything happened, every time: looked for, sent again up to
    // max_retries, then the API's error with what the lookup found.
    faults(
        &sim,
        json!({"error_rate": 1.0, "statuses": [503], "method": "POST"}),
    );
    let err = rt
        .block_on(network::create(&client, "jkt01", "n1"))
        .unwrap_err();
    assert_eq!(err.status, Some(503));
    assert!(err.to_string().contains("nothing was created"), "{err}");
    assert_eq!(posts(&sim), 4, "one try and three re-sends");
    let lookups = requests(&sim)
        .iter()
        .filter(|(m, p)| m == "GET" && p.ends_with("network/networks"))
        .count();
    assert!(lookups >= 4, "a fresh lookup before every re-send");

    // Transient: the re-send succeeds, one network.
    control(&sim, reqwest::Method::DELETE, "requests", None);
    faults(
        &sim,
        json!({"error_rate": 0.5, "statuses": [502, 503, 504], "method": "POST", "seed": 3}),
    );
    let client = client_with(&sim, 10);
    for name in ["t1", "t2", "t3", "t4"] {
        rt.block_on(network::create(&client, "jkt01", name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    control(&sim, reqwest::Method::DELETE, "faults", None);
    let names: Vec<String> = rt
        .block_on(network::list(&client, "jkt01"))
        .unwrap()
        .into_iter()
        .map(|n| n.name)
        .collect();
    assert_eq!(names, ["t1", "t2", "t3", "t4"]);

    // 429: the API refused before doing anything, so any method is retried.
    control(&sim, reqwest::Method::DELETE, "requests", None);
    faults(
        &sim,
        json!({"error_rate": 1.0, "statuses": [429], "method": "POST"}),
    );
    let client = client_with(&sim, 3);
    let err = rt
        .block_on(network::create(&client, "jkt01", "n1"))
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::RateLimited);
    assert_eq!(posts(&sim), 4);
}

#[test]
fn a_lost_answer_is_recovered_from_a_fresh_list_not_one_read_during_the_write() {
    // While the create is in flight another resource reads the list (before the
    // create took effect); the answer is then lost. The recovery must not look
    // in that stale list.
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let rt = runtime();
    let client = client(&sim, 3);
    faults(
        &sim,
        json!({"method": "POST", "path_contains": "network/network", "effect_delay_ms": 400,
               "error_rate": 1.0, "statuses": [504], "after_effect": true}),
    );
    let (created, listed) = rt.block_on(async {
        tokio::join!(network::create(&client, "jkt01", "slow"), async {
            tokio::time::sleep(Duration::from_millis(150)).await;
            network::list(&client, "jkt01").await
        })
    });
    assert!(
        listed.unwrap().is_empty(),
        "read before the create took effect"
    );
    let created = created.expect("the created network is adopted");
    control(&sim, reqwest::Method::DELETE, "faults", None);
    let all = rt.block_on(network::list(&client, "jkt01")).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].uuid, created.uuid);
    let posts = requests(&sim).iter().filter(|(m, _)| m == "POST").count();
    assert_eq!(posts, 1, "a create that took effect is never sent again");
}

#[test]
fn several_matches_after_a_lost_answer_adopt_none_and_say_so() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let rt = runtime();
    let client = client(&sim, 3);
    faults(
        &sim,
        json!({"method": "POST", "path_contains": "network/network", "effect_delay_ms": 300,
               "error_rate": 1.0, "statuses": [504], "after_effect": true}),
    );
    let (a, b) = rt.block_on(async {
        tokio::join!(
            network::create(&client, "jkt01", "twin"),
            network::create(&client, "jkt01", "twin")
        )
    });
    let errors: Vec<_> = [a, b].into_iter().filter_map(Result::err).collect();
    assert!(!errors.is_empty());
    for e in &errors {
        assert_eq!(e.kind, ErrorKind::Ambiguous, "{e}");
        assert!(e.to_string().contains("cannot tell"), "{e}");
    }
}

#[test]
fn a_lost_create_answer_adopts_the_created_object() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let rt = runtime();
    let client = client(&sim, 3);
    faults(
        &sim,
        json!({"error_rate": 1.0, "statuses": [504], "method": "POST", "after_effect": true}),
    );
    let created = rt
        .block_on(network::create(&client, "jkt01", "adopted"))
        .unwrap();
    control(&sim, reqwest::Method::DELETE, "faults", None);
    let all = rt.block_on(network::list(&client, "jkt01")).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].uuid, created.uuid);
    assert_eq!(created.name, "adopted");
}

#[test]
fn list_results_are_shared_until_a_write() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let rt = runtime();
    let client = client(&sim, 0);
    let list_calls = |sim: &Simulator| {
        requests(sim)
            .iter()
            .filter(|(m, p)| m == "GET" && p.ends_with("network/networks"))
            .count()
    };
    rt.block_on(async {
        // Concurrent readers share one request.
        let (a, b, c) = tokio::join!(
            network::list(&client, "jkt01"),
            network::list(&client, "jkt01"),
            network::list(&client, "jkt01"),
        );
        assert!(a.is_ok() && b.is_ok() && c.is_ok());
    });
    assert_eq!(list_calls(&sim), 1);
    rt.block_on(network::list(&client, "jkt02")).unwrap();
    assert_eq!(list_calls(&sim), 2, "each location has its own list");
    rt.block_on(network::create(&client, "jkt01", "x")).unwrap();
    let after = rt.block_on(network::list(&client, "jkt01")).unwrap();
    assert_eq!(after.len(), 1, "a write drops the cached lists");
}

#[test]
fn error_kinds_from_the_live_shapes() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let rt = runtime();
    let ok = client(&sim, 0);
    let err = rt
        .block_on(
            ok.get(Loc::At("mars01"), "network/networks")
                .send::<Value>(),
        )
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::UnknownLocation);
    assert!(err.message.contains("no route and no API found"));
    let err = rt
        .block_on(
            ok.get(Loc::At("jkt01"), "user-resource/vm")
                .query("uuid", "00000000-0000-4000-8000-000000000000")
                .send::<Value>(),
        )
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotFound, "{err}");
    let missing = rt
        .block_on(network::find(
            &ok,
            "jkt01",
            "00000000-0000-4000-8000-000000000000",
        ))
        .unwrap();
    assert!(missing.is_none());

    let bad_key = ApiClient::new(ClientConfig::new(sim.url(), "wrong")).unwrap();
    let err = rt
        .block_on(bad_key.get(Loc::Global, "config/locations").send::<Value>())
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Forbidden);
    assert_eq!(err.message, "Invalid authentication credentials");

    let unreachable = {
        let mut config = ClientConfig::new("http://127.0.0.1:9", "k");
        config.max_retries = 1;
        config.base_backoff = Duration::from_millis(1);
        ApiClient::new(config).unwrap()
    };
    let err = rt
        .block_on(
            unreachable
                .get(Loc::Global, "config/locations")
                .send::<Value>(),
        )
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Transport);
    assert!(err.not_sent);
    let text = err.to_string();
    assert!(
        text.contains("no connection to the API") && !text.contains("HTTP 0"),
        "{text}"
    );
}

#[test]
fn form_bodies_keep_spaces_and_plus_signs() {
    // The simulator decodes forms like the live API: `+` would turn into a space.
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let rt = runtime();
    let client = client(&sim, 0);
    let created = rt
        .block_on(network::create(&client, "jkt01", "a b+c"))
        .unwrap();
    assert_eq!(created.name, "a b+c");
}
