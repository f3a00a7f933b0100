//! Refresh benchmark: reads N VMs the way `terraform plan` does (concurrently,
//! through the provider's real read path) against the simulator, and reports the
//! wall time and the number of API calls. Compares one shared client (what the
//! provider does: list results shared within the process) with one client per
//! resource (what a provider without sharing would cost).
//!
//! Run: `cargo bench --bench refresh` (env BENCH_VMS, default 100).

use std::sync::Arc;
use std::time::{Duration, Instant};

use idcloudhost_sim::{SimConfig, Simulator};
use serde_json::Value;
use terraform_provider_idcloudhost::api::{ApiClient, ClientConfig};
use terraform_provider_idcloudhost::context::{ProviderData, Shared};
use terraform_provider_idcloudhost::framework::{Diagnostics, DynamicResource};
use terraform_provider_idcloudhost::framework::{Dyn, Managed};
use terraform_provider_idcloudhost::obj;
use terraform_provider_idcloudhost::resources::vm::VmResource;

fn provider_data(sim: &Simulator) -> ProviderData {
    ProviderData {
        client: ApiClient::new(ClientConfig::new(sim.url(), "sim-key")).unwrap(),
        default_location: None,
        default_billing_account: None,
        pricing: Default::default(),
    }
}

fn create_vms(sim: &Simulator, n: usize) -> Vec<String> {
    let http = reqwest::blocking::Client::new();
    (0..n)
        .map(|i| {
            let vm: Value = http
                .post(format!("{}/v1/jkt01/user-resource/vm", sim.url()))
                .header("apikey", "sim-key")
                .form(&[
                    ("name", format!("bench-{i}")),
                    ("os_name", "ubuntu".into()),
                    ("os_version", "22.04-lts".into()),
                    ("vcpu", "1".into()),
                    ("ram", "1024".into()),
                    ("disks", "20".into()),
                ])
                .send()
                .unwrap()
                .json()
                .unwrap();
            vm["uuid"].as_str().unwrap().to_owned()
        })
        .collect()
}

fn request_count(sim: &Simulator) -> usize {
    let log: Value = reqwest::blocking::get(format!("{}/__sim/requests", sim.url()))
        .unwrap()
        .json()
        .unwrap();
    log.as_array().map(Vec::len).unwrap_or_default()
}

fn clear_requests(sim: &Simulator) {
    reqwest::blocking::Client::new()
        .delete(format!("{}/__sim/requests", sim.url()))
        .send()
        .unwrap();
}

/// Reads every VM, 10 at a time like Terraform's default parallelism; `shared`
/// decides whether all reads use one provider instance or one each.
async fn refresh(sim: &Simulator, uuids: &[String], shared: bool) -> Duration {
    let one = Shared::default();
    one.set(provider_data(sim));
    let one = Arc::new(Managed::new(VmResource, one));
    let gate = Arc::new(tokio::sync::Semaphore::new(10));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for uuid in uuids {
        let resource = if shared {
            one.clone()
        } else {
            let own = Shared::default();
            own.set(provider_data(sim));
            Arc::new(Managed::new(VmResource, own))
        };
        let gate = gate.clone();
        let state = Dyn::Object(obj! { "id" => uuid.clone(), "location" => "jkt01" });
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire().await.unwrap();
            let mut diags = Diagnostics::default();
            let read = resource.read(&mut diags, state, Dyn::Null).await;
            assert!(diags.errors.is_empty(), "{:?}", diags.errors);
            assert!(read.is_some_and(|(s, _)| !s.is_null()));
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    start.elapsed()
}

fn main() {
    let n: usize = std::env::var("BENCH_VMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let uuids = create_vms(&sim, n);
    let rt = tokio::runtime::Runtime::new().unwrap();
    println!("refresh of {n} VMs (jkt01), 10 concurrent reads, median of 5 runs:");
    for (label, shared) in [
        ("shared client (provider)", true),
        ("client per resource", false),
    ] {
        let mut times = Vec::new();
        let mut calls = 0;
        for _ in 0..5 {
            clear_requests(&sim);
            times.push(rt.block_on(refresh(&sim, &uuids, shared)));
            calls = request_count(&sim);
        }
        times.sort();
        println!(
            "  {label:<26} {:>9.2?}  {calls:>5} API calls ({:.2} per VM)",
            times[2],
            calls as f64 / n as f64
        );
    }
}
