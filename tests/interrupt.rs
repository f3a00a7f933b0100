//! Ctrl-C: Terraform's interrupt reaches the provider as StopProvider, and every
//! wait of the provider (retry back-offs, a delete waiting for a dependent to go
//! away) ends at once. Real `terraform` 1.0.3 (a Go binary that handles signals
//! itself) is interrupted while an apply and then a destroy are blocked on long
//! waits: it exits within 10 seconds, with what was created in its state.

mod common;

use std::os::unix::process::CommandExt;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{terraform_1_0_binary, Env};
use serde_json::json;

const CONFIG: &str = r#"
provider "idcloudhost" {
  max_retries = 10
}

resource "idcloudhost_network" "app" {
  name = "interrupted"
}

resource "idcloudhost_firewall" "web" {
  name = "interrupted-${idcloudhost_network.app.id}"
  rule {
    direction  = "inbound"
    protocol   = "tcp"
    port_start = 80
  }
}
"#;

/// Starts terraform in a process group of its own (as a shell starts a job).
fn start(env: &Env, args: &[&str]) -> Child {
    env.command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .expect("terraform starts")
}

/// Waits (up to a minute) until `ready` says the run is blocked where wanted.
fn wait_until(what: &str, ready: impl Fn() -> bool) {
    let started = Instant::now();
    while !ready() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "never got to {what}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Sends SIGINT to `target` (`-pgid`: a whole process group) and
/// returns how long terraform took to exit, and what it printed.
fn interrupt(child: Child, target: String) -> (Duration, String) {
    let sent = Instant::now();
    let status = std::process::Command::new("kill")
        .args(["-INT", "--", &target])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let pid = child.id();
    let (done, exited) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(child.wait_with_output());
    });
    match exited.recv_timeout(Duration::from_secs(30)) {
        Ok(output) => {
            let output = output.expect("terraform output");
            let text = format!(
                "{}\n{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            // Terraform wraps long lines.
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            (sent.elapsed(), text)
        }
        Err(_) => {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .status();
            panic!("terraform was still running 30 s after the interrupt");
        }
    }
}

#[test]
fn ctrl_c_ends_a_blocked_apply_and_a_blocked_destroy_within_seconds() {
    let env = Env::with_terraform(terraform_1_0_binary());
    env.write_config(CONFIG);
    // The location's first network is its default one, which is never deleted.
    env.api().create_network("jkt01", "default");

    // Apply: the network is created; every firewall create is refused (503) and
    // retried with a back-off of up to 15 s, ten times.
    env.api().set_faults(json!({
        "method": "POST",
        "path_contains": "network/firewalls",
        "error_rate": 1.0,
        "statuses": [503],
    }));
    let apply = start(
        &env,
        &["apply", "-auto-approve", "-no-color", "-input=false"],
    );
    wait_until("the firewall's retries", || {
        env.api()
            .requests()
            .iter()
            .filter(|(m, p, s)| m == "POST" && p.contains("network/firewalls") && *s == 503)
            .count()
            >= 3
    });
    // To the whole process group, as Ctrl-C at a terminal does: Terraform's own
    // wrapper process passes nothing on, and the provider gets the signal too
    // (it must keep running, to answer Terraform and finish what it sent).
    let pgid = format!("-{}", apply.id());
    let (took, output) = interrupt(apply, pgid);
    env.api().clear_faults();
    assert!(took < Duration::from_secs(10), "took {took:?}:\n{output}");
    assert!(output.contains("Interrupt received"), "{output}");
    assert!(
        output.contains("Terraform was interrupted (Ctrl-C)"),
        "the provider stopped its back-off and says why:\n{output}"
    );
    let state = env.tf_ok(&["state", "list"]).stdout;
    assert_eq!(
        state.lines().collect::<Vec<_>>(),
        ["idcloudhost_network.app"],
        "what was created is in the state:\n{output}"
    );
    assert!(env.api().list("jkt01", "network/firewalls").is_empty());

    // Destroy: the network is in use by a VM made outside Terraform, so the
    // delete waits (up to the 20-minute delete timeout) for it to go away.
    let network = env.id_of("idcloudhost_network.app");
    env.api()
        .create_vm("jkt01", "squatter", &[("network_uuid", network.as_str())]);
    env.api().clear_requests();
    let destroy = start(
        &env,
        &["destroy", "-auto-approve", "-no-color", "-input=false"],
    );
    wait_until("the delete's wait for the network's VM", || {
        env.api()
            .requests()
            .iter()
            .filter(|(m, p, _)| m == "GET" && p.ends_with("network/networks"))
            .count()
            >= 3
    });
    let pgid = format!("-{}", destroy.id());
    let (took, output) = interrupt(destroy, pgid);
    assert!(took < Duration::from_secs(10), "took {took:?}:\n{output}");
    assert!(
        output.contains("Terraform was interrupted (Ctrl-C)"),
        "the provider says why it stopped:\n{output}"
    );
    let state = env.tf_ok(&["state", "list"]).stdout;
    assert_eq!(
        state.lines().collect::<Vec<_>>(),
        ["idcloudhost_network.app"]
    );
    assert_eq!(
        env.api()
            .list("jkt01", "network/networks")
            .iter()
            .filter(|n| n["uuid"] == network.as_str())
            .count(),
        1,
        "nothing was deleted"
    );
}
