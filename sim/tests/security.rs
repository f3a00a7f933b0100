mod common;

use common::*;
use serde_json::{json, Value};

fn vm(t: &T, slug: &str) -> Value {
    let (s, b) = t.form(
        "POST",
        &format!("/v1/{slug}/user-resource/vm"),
        &[
            ("name", "app"),
            ("os_name", "ubuntu"),
            ("os_version", "24.04-lts"),
            ("disks", "20"),
            ("vcpu", "1"),
            ("ram", "1024"),
            ("reserve_public_ip", "false"),
        ],
    );
    assert_eq!(s, 200, "{b}");
    b
}

#[test]
fn firewall_lifecycle() {
    let t = start();
    let rules = json!([
        {"protocol": "tcp", "direction": "inbound", "port_start": 22,
         "endpoint_spec_type": "ip_prefixes", "endpoint_spec": ["10.0.0.0/24"]},
        {"protocol": "tcp", "direction": "inbound", "port_start": 80, "port_end": 81,
         "endpoint_spec_type": "any"},
        {"protocol": "udp", "direction": "outbound", "port_start": 53,
         "endpoint_spec_type": "any"},
        {"protocol": "icmp", "direction": "inbound", "port_start": null,
         "endpoint_spec_type": "any"}
    ]);
    let (s, fw) = t.json(
        "POST",
        "/v1/network/firewalls",
        json!({"display_name": "web", "rules": rules}),
    );
    assert_eq!(s, 200, "{fw}");
    assert_eq!(fw["display_name"], "web");
    let rs = fw["rules"].as_array().expect("rules");
    assert_eq!(rs.len(), 4);
    assert!(rs.iter().all(|r| r["uuid"].is_string()));
    let ssh = rs
        .iter()
        .find(|r| r["port_start"] == json!(22))
        .expect("ssh");
    assert_eq!(ssh["port_end"], json!(22));
    let any = rs
        .iter()
        .find(|r| r["port_start"] == json!(80))
        .expect("http");
    assert_eq!(any["endpoint_spec"], Value::Null);
    let fu = fw["uuid"].as_str().expect("uuid").to_string();

    // name is refused on create (display_name required)
    let (s, e) = t.json("POST", "/v1/network/firewalls", json!({"name": "x"}));
    assert_eq!(s, 400);
    assert!(e["errors"]["display_name"].is_string());
    // bad rule
    let (s, _) = t.json(
        "POST",
        "/v1/network/firewalls",
        json!({"display_name": "bad", "rules": [{"protocol": "tcp", "direction": "up",
            "port_start": 1, "endpoint_spec_type": "any"}]}),
    );
    assert_eq!(s, 400);

    let (s, u) = t.json(
        "PUT",
        &format!("/v1/network/firewalls/{fu}"),
        json!({"name": "web2", "description": "d", "rules": [ssh]}),
    );
    assert_eq!(s, 200, "{u}");
    assert_eq!(u["display_name"], "web2");
    assert_eq!(u["rules"].as_array().map(|a| a.len()), Some(1));
    assert_eq!(u["rules"][0]["uuid"], ssh["uuid"]);

    let v = vm(&t, "jkt01");
    let vu = v["uuid"].as_str().expect("uuid");
    let (s, a) = t.call(
        "POST",
        &format!("/v1/network/firewalls/{fu}/vms?vm_uuid={vu}"),
    );
    assert_eq!(s, 200);
    assert_eq!(a, json!([{"resource_type": "vm", "resource_uuid": vu}]));
    let (_, l) = t.get("/v1/network/firewalls");
    assert_eq!(l[0]["resources_assigned"], a);
    let (s, _) = t.call("DELETE", &format!("/v1/network/firewalls/{fu}"));
    assert!(s >= 400, "assigned firewall");
    let (s, _) = t.call(
        "DELETE",
        &format!("/v1/network/firewalls/{fu}/vms?vm_uuid={vu}"),
    );
    assert_eq!(s, 204);
    let (s, _) = t.call("DELETE", &format!("/v1/network/firewalls/{fu}"));
    assert_eq!(s, 204);
    let (_, l) = t.get("/v1/network/firewalls");
    assert_eq!(l, json!([]));
}

#[test]
fn load_balancer_lifecycle() {
    let t = start();
    let v1 = vm(&t, "jkt02");
    let v2 = vm(&t, "jkt02");
    let (s, lb) = t.json(
        "POST",
        "/v1/jkt02/network/load_balancers",
        json!({"display_name": "lb", "reserve_public_ip": "true",
               "rules": [{"source_port": 80, "target_port": 8080}],
               "targets": [{"target_uuid": v1["uuid"], "target_type": "vm"}]}),
    );
    assert_eq!(s, 200, "{lb}");
    assert_eq!(lb["targets"][0]["target_ip_address"], v1["private_ipv4"]);
    assert_eq!(lb["forwarding_rules"][0]["target_port"], json!(8080));
    assert_eq!(lb["forwarding_rules"][0]["protocol"], "TCP");
    let lu = lb["uuid"].as_str().expect("uuid").to_string();
    let base = format!("/v1/jkt02/network/load_balancers/{lu}");
    let (_, ips) = t.get("/v1/jkt02/network/ip_addresses");
    assert_eq!(ips[0]["assigned_to"], json!(lu));
    assert_eq!(ips[0]["assigned_to_resource_type"], "load_balancer");

    let (s, r) = t.json(
        "POST",
        &format!("{base}/forwarding_rules"),
        json!({"source_port": 443, "target_port": 8443}),
    );
    assert_eq!(s, 200);
    assert!(r.get("uuid").is_none());
    assert_eq!(r, json!({"source_port": 443, "target_port": 8443}));
    let (s, tg) = t.json(
        "POST",
        &format!("{base}/targets"),
        json!({"target_uuid": v2["uuid"], "target_type": "vm"}),
    );
    assert_eq!(s, 200);
    assert_eq!(tg["target_ip_address"], v2["private_ipv4"]);
    let (_, got) = t.get(&base);
    let rule = got["forwarding_rules"]
        .as_array()
        .expect("rules")
        .iter()
        .find(|r| r["source_port"] == json!(443))
        .expect("rule")
        .clone();
    let (s, _) = t.call(
        "DELETE",
        &format!(
            "{base}/forwarding_rules/{}",
            rule["uuid"].as_str().expect("uuid")
        ),
    );
    assert_eq!(s, 200);
    let (s, _) = t.call(
        "DELETE",
        &format!("{base}/targets/{}", v2["uuid"].as_str().expect("uuid")),
    );
    assert_eq!(s, 200);
    let (s, rn) = t.json("PATCH", &base, json!({"display_name": "renamed"}));
    assert_eq!(s, 200);
    assert_eq!(rn["display_name"], "renamed");
    let (_, bas) = t.get("/v1/payment/billing_account/list");
    let (s, bb) = t.json(
        "PUT",
        &format!("{base}/billing_account"),
        json!({"set_id": bas[1]["id"]}),
    );
    assert_eq!(s, 200);
    assert_eq!(bb["billing_account_id"], bas[1]["id"]);
    let (s, _) = t.call("DELETE", &base);
    assert_eq!(s, 200);
    let (s, _) = t.get(&base);
    assert_eq!(s, 404);
    // the public address is left behind, unassigned
    let (_, ips) = t.get("/v1/jkt02/network/ip_addresses");
    assert_eq!(ips.as_array().map(|a| a.len()), Some(1));
    assert_eq!(ips[0]["assigned_to"], Value::Null);
}

#[test]
fn service_packages() {
    let t = start();
    let (_, bas) = t.get("/v1/payment/billing_account/list");
    let b = bas[0]["id"].clone();
    let (s, e) = t.json(
        "POST",
        "/v1/user-resource/service/package",
        json!({"billing_account_id": b, "service": "mariadb", "version": "10.5",
               "display_name": "m", "vm_cpu": 1, "vm_ram": 2048, "vm_disk_gb": 20}),
    );
    assert_eq!(s, 400);
    assert!(e["message"].is_string());
    let (s, p) = t.json(
        "POST",
        "/v1/user-resource/service/package",
        json!({"billing_account_id": b, "service": "postgresql", "version": "14.0",
               "display_name": "pg", "vm_cpu": 1, "vm_ram": 2048, "vm_disk_gb": 20}),
    );
    assert_eq!(s, 200, "{p}");
    assert_eq!(p["status"], "active");
    let pu = p["uuid"].as_str().expect("uuid").to_string();
    let (_, sec) = t.get(&format!("/v1/user-resource/service/package/{pu}/secrets"));
    assert!(sec["sql_pass"].is_string());
    // the service address is on the default network
    let (_, nets) = t.get("/v1/network/networks");
    assert_eq!(nets[0]["is_default"], json!(true));
    let wl = format!("/v1/user-resource/service/package/{pu}/whitelist_addresses");
    let (s, w) = t.form("POST", &wl, &[("ip_address", "1.2.3.0/24")]);
    assert_eq!(s, 200);
    assert_eq!(w, json!(["1.2.3.0/24"]));
    let (_, w) = t.get(&wl);
    assert_eq!(w, json!(["1.2.3.0/24"]));
    let (s, w) = t.form("DELETE", &wl, &[("ip_address", "1.2.3.0/24")]);
    assert_eq!(s, 200);
    assert_eq!(w, json!([]));
    let (s, u) = t.json(
        "PATCH",
        &format!("/v1/user-resource/service/package/{pu}"),
        json!({"display_name": "pg2"}),
    );
    assert_eq!(s, 200);
    assert_eq!(u["display_name"], "pg2");
    let (s, d) = t.call("DELETE", &format!("/v1/user-resource/service/package/{pu}"));
    assert_eq!(s, 200);
    assert_eq!(d["status"], "deleted");
    let (_, l) = t.get("/v1/user-resource/service/packages");
    assert_eq!(l, json!([]));
}

#[test]
fn ssh_keys() {
    let t = start();
    let k = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMockPublicKeyData user@host";
    let (s, c) = t.json(
        "POST",
        "/v1/user-resource/ssh_keys",
        json!({"name": "laptop", "public_key": k}),
    );
    assert_eq!(s, 200);
    assert!(c.get("fingerprint").is_none());
    assert_eq!(c["public_key"], k);
    let (s, e) = t.json(
        "POST",
        "/v1/user-resource/ssh_keys",
        json!({"name": "laptop", "public_key": k}),
    );
    assert_eq!(s, 409);
    assert!(e["message"].is_string());
    let id = c["uuid"].as_str().expect("uuid");
    let (s, r) = t.json(
        "PATCH",
        &format!("/v1/user-resource/ssh_keys/{id}"),
        json!({"name": "desk"}),
    );
    assert_eq!(s, 200);
    assert_eq!(r["name"], "desk");
    let (_, l) = t.get("/v1/user-resource/ssh_keys");
    assert_eq!(l.as_array().map(|a| a.len()), Some(1));
    let (s, _) = t.call("DELETE", &format!("/v1/user-resource/ssh_keys/{id}"));
    assert_eq!(s, 200);
    let (s, _) = t.call("DELETE", &format!("/v1/user-resource/ssh_keys/{id}"));
    assert_eq!(s, 404);
    // global only
    let (s, _) = t.get("/v1/jkt01/user-resource/ssh_keys");
    assert_eq!(s, 404);
}
