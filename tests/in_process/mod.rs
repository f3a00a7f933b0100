//! Harness of the tests that drive the API client in process against the simulator
//! (no terraform): a client with short backoffs, a runtime, and the simulator's
//! control endpoints (`/__sim/...`). The crate declares `mod common;` too.

#![allow(dead_code)]

use std::time::Duration;

use idcloudhost_sim::{Brand, SimConfig, Simulator};
use serde_json::Value;
use terraform_provider_idcloudhost::api::{ApiClient, ClientConfig};

use crate::common::Api;

/// A simulator serving `brand`'s API, started on a free port.
pub fn start(brand: Brand) -> Simulator {
    Simulator::start(SimConfig {
        brand,
        ..SimConfig::default()
    })
    .unwrap()
}

/// A client of `sim` with the simulator's key and short backoffs (1 to 5 ms),
/// after `configure` has changed its settings.
pub fn client(sim: &Simulator, configure: impl FnOnce(&mut ClientConfig)) -> ApiClient {
    let mut config = ClientConfig::new(sim.url(), "sim-key");
    config.base_backoff = Duration::from_millis(1);
    config.max_backoff = Duration::from_millis(5);
    configure(&mut config);
    ApiClient::new(config).unwrap()
}

/// A single-threaded tokio runtime to run the client's futures on.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// `METHOD /__sim/PATH` on the simulator; asserts it succeeds; its JSON answer (null if none).
pub fn control(sim: &Simulator, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
    let http = reqwest::blocking::Client::new();
    let mut req = http.request(method, format!("{}/__sim/{path}", sim.url()));
    if let Some(body) = body {
        req = req.json(&body);
    }
    let resp = req.send().unwrap();
    assert!(resp.status().is_success(), "{path}: {}", resp.status());
    resp.json().unwrap_or(Value::Null)
}

/// Injects faults (`POST /__sim/faults`): `error_rate`, `statuses`, `path_contains`...
pub fn set_faults(sim: &Simulator, faults: Value) {
    Api::of_simulator(sim).set_faults(faults);
}

/// Stops injecting faults.
pub fn clear_faults(sim: &Simulator) {
    Api::of_simulator(sim).clear_faults();
}

/// Empties the simulator's request log.
pub fn clear_requests(sim: &Simulator) {
    Api::of_simulator(sim).clear_requests();
}

/// `(method, path, status)` of every API request in the log.
pub fn requests(sim: &Simulator) -> Vec<(String, String, u16)> {
    Api::of_simulator(sim).requests()
}
