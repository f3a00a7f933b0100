//! The API client against the simulator: retries only what is safe to repeat,
//! error kinds, and the per-process list cache.

use std::time::Duration;

mod common;
mod in_process;

use idcloudhost_sim::{Brand, Simulator};
use in_process::{clear_faults, clear_requests, runtime, set_faults};
use serde_json::{json, Value};
use terraform_provider_idcloudhost::api::models::config::Location;
use terraform_provider_idcloudhost::api::{network, ApiClient, ClientConfig, ErrorKind, Loc};

/// A client of `sim` that retries a transient failure up to `max_retries` times.
fn retrying_client(sim: &Simulator, max_retries: u32) -> ApiClient {
    in_process::client(sim, |config| config.max_retries = max_retries)
}

/// `(method, path)` of every API request so far.
fn requests(sim: &Simulator) -> Vec<(String, String)> {
    in_process::requests(sim)
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect()
}

#[test]
fn get_is_retried_on_503_up_to_max_retries() {
    let sim = in_process::start(Brand::default());
    set_faults(&sim, json!({"error_rate": 1.0, "statuses": [503]}));
    let err = runtime()
        .block_on(
            retrying_client(&sim, 3)
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
    let sim = in_process::start(Brand::default());
    set_faults(
        &sim,
        json!({"error_rate": 0.3, "statuses": [429, 502, 503, 504]}),
    );
    let rt = runtime();
    let client = retrying_client(&sim, 12);
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
    let sim = in_process::start(Brand::default());
    set_faults(&sim, json!({"error_rate": 1.0, "statuses": [500]}));
    let err = runtime()
        .block_on(
            retrying_client(&sim, 4)
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
    let sim = in_process::start(Brand::default());
    let rt = runtime();
    let client = retrying_client(&sim, 3);
    let posts = |sim: &Simulator| requests(sim).iter().filter(|(m, _)| m == "POST").count();
    // Refused before anything happened, every time: looked for, sent again up to
    // max_retries, then the API's error with what the lookup found.
    set_faults(
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
    clear_requests(&sim);
    set_faults(
        &sim,
        json!({"error_rate": 0.5, "statuses": [502, 503, 504], "method": "POST", "seed": 3}),
    );
    let client = retrying_client(&sim, 10);
    for name in ["t1", "t2", "t3", "t4"] {
        rt.block_on(network::create(&client, "jkt01", name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    clear_faults(&sim);
    let names: Vec<String> = rt
        .block_on(network::list(&client, "jkt01"))
        .unwrap()
        .into_iter()
        .map(|n| n.name)
        .collect();
    assert_eq!(names, ["t1", "t2", "t3", "t4"]);

    // 429: the API refused before doing anything, so any method is retried.
    clear_requests(&sim);
    set_faults(
        &sim,
        json!({"error_rate": 1.0, "statuses": [429], "method": "POST"}),
    );
    let client = retrying_client(&sim, 3);
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
    let sim = in_process::start(Brand::default());
    let rt = runtime();
    let client = retrying_client(&sim, 3);
    set_faults(
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
    clear_faults(&sim);
    let all = rt.block_on(network::list(&client, "jkt01")).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].uuid, created.uuid);
    let posts = requests(&sim).iter().filter(|(m, _)| m == "POST").count();
    assert_eq!(posts, 1, "a create that took effect is never sent again");
}

#[test]
fn several_matches_after_a_lost_answer_adopt_none_and_say_so() {
    let sim = in_process::start(Brand::default());
    let rt = runtime();
    let client = retrying_client(&sim, 3);
    set_faults(
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
    let sim = in_process::start(Brand::default());
    let rt = runtime();
    let client = retrying_client(&sim, 3);
    set_faults(
        &sim,
        json!({"error_rate": 1.0, "statuses": [504], "method": "POST", "after_effect": true}),
    );
    let created = rt
        .block_on(network::create(&client, "jkt01", "adopted"))
        .unwrap();
    clear_faults(&sim);
    let all = rt.block_on(network::list(&client, "jkt01")).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].uuid, created.uuid);
    assert_eq!(created.name, "adopted");
}

#[test]
fn list_results_are_shared_until_a_write() {
    let sim = in_process::start(Brand::default());
    let rt = runtime();
    let client = retrying_client(&sim, 0);
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
    let sim = in_process::start(Brand::default());
    let rt = runtime();
    let ok = retrying_client(&sim, 0);
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
    let sim = in_process::start(Brand::default());
    let rt = runtime();
    let client = retrying_client(&sim, 0);
    let created = rt
        .block_on(network::create(&client, "jkt01", "a b+c"))
        .unwrap();
    assert_eq!(created.name, "a b+c");
}
