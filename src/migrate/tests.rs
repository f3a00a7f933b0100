use serde_json::json;

use super::*;
use crate::framework::Dyn;

fn moved_from(provider: &str, ty: &str, target: &str, state: serde_json::Value) -> Obj {
    let source = Source {
        provider,
        type_name: ty,
        version: 0,
    };
    moved(&source, target, &serde_json::to_vec(&state).unwrap())
        .expect("a community source")
        .expect("converted")
}

fn s(obj: &Obj, key: &str) -> Dyn {
    obj.get(key).cloned().unwrap_or_default()
}

#[test]
fn bapung_vm_renames_and_reserves_no_address() {
    let vm = moved_from(
        "registry.terraform.io/bapung/idcloudhost",
        "idcloudhost_vm",
        "idcloudhost_vm",
        json!({
            "id": "0b3c", "uuid": "0b3c", "name": "web", "memory": 2048, "disks": 40,
            "vcpu": 2, "initial_password": "Secret123", "public_key": "", "description": "",
            "billing_account_id": 1200, "status": "running", "timeouts": {"create": "10m"},
            "storage": [{"uuid": "d-1", "primary": true}], "user_id": 9, "tags": []
        }),
    );
    assert_eq!(s(&vm, "id"), Dyn::str("0b3c"));
    assert_eq!(s(&vm, "ram_mb"), Dyn::int(2048));
    assert_eq!(s(&vm, "disk_size_gb"), Dyn::int(40));
    assert_eq!(s(&vm, "password"), Dyn::str("Secret123"));
    assert_eq!(s(&vm, "public_keys"), Dyn::Null);
    assert_eq!(s(&vm, "description"), Dyn::Null);
    assert_eq!(s(&vm, "reserve_public_ip"), Dyn::Bool(false));
    assert_eq!(s(&vm, "location"), Dyn::Null);
    assert_eq!(s(&vm, "boot_disk_uuid"), Dyn::str("d-1"));
    assert!(!vm.contains_key("memory") && !vm.contains_key("user_id"));
    let timeouts = s(&vm, "timeouts");
    assert_eq!(timeouts.as_list()[0].get("create"), &Dyn::str("10m"));
}

#[test]
fn rizalmf_vm_drops_the_hidden_password() {
    let vm = moved_from(
        "registry.terraform.io/rizalmf/idcloudhost",
        "idcloudhost_vm",
        "idcloudhost_vm",
        json!({"id": "u1", "uuid": "u1", "ram": 1024, "disks": 20, "password": "<Hidden>",
               "private_network_uuid": "n1", "location": "jkt02", "desired_status": "stopped",
               "float_ip_address": "103.1.1.1"}),
    );
    assert_eq!(s(&vm, "password"), Dyn::Null);
    assert_eq!(s(&vm, "ram_mb"), Dyn::int(1024));
    assert_eq!(s(&vm, "network_uuid"), Dyn::str("n1"));
    assert_eq!(s(&vm, "location"), Dyn::str("jkt02"));
    assert_eq!(s(&vm, "power_state"), Dyn::str("stopped"));
    assert_eq!(s(&vm, "reserve_public_ip"), Dyn::Bool(false));
}

#[test]
fn bapung_floating_ip_drops_the_user_id_it_stored_as_billing_account() {
    let ip = moved_from(
        "registry.terraform.io/bapung/idcloudhost",
        "idcloudhost_floating_ip",
        "idcloudhost_floating_ip",
        json!({"id": "103.1.1.2", "address": "103.1.1.2", "name": "lb", "billing_account_id": 77,
               "user_id": 77, "assigned_to": ""}),
    );
    assert_eq!(s(&ip, "id"), Dyn::str("103.1.1.2"));
    assert_eq!(s(&ip, "billing_account_id"), Dyn::Null);
}

#[test]
fn warren_floating_ip_is_its_address_not_its_numeric_id() {
    let ip = moved_from(
        "registry.terraform.io/warrenio/warren",
        "warren_floating_ip",
        "idcloudhost_floating_ip",
        json!({"id": "4711", "address": "103.1.1.3", "billing_account": 5}),
    );
    assert_eq!(s(&ip, "id"), Dyn::str("103.1.1.3"));
    assert_eq!(s(&ip, "billing_account_id"), Dyn::int(5));
}

#[test]
fn cloudaxion_volume_attachment_swaps_its_id() {
    let a = moved_from(
        "registry.terraform.io/zorgatia/cloudaxion",
        "cloudaxion_volume_attachment",
        "idcloudhost_disk_attachment",
        json!({"id": "vol-1:vm-1", "volume_id": "vol-1", "vm_id": "vm-1", "location": "jkt01"}),
    );
    assert_eq!(s(&a, "id"), Dyn::str("vm-1/vol-1"));
    assert_eq!(s(&a, "disk_uuid"), Dyn::str("vol-1"));
}

#[test]
fn firewall_rules_any_means_every_protocol_and_address() {
    let fw = moved_from(
        "registry.terraform.io/teliti-dev/idcloudhost",
        "idcloudhost_firewall",
        "idcloudhost_firewall",
        json!({"id": "f1", "uuid": "f1", "display_name": "web", "rules": [
            {"direction": "inbound", "protocol": "tcp", "port_start": 443, "port_end": 0,
             "endpoint_spec_type": "ip_prefixes", "endpoint_spec": ["10.0.0.0/8"]},
            {"direction": "outbound", "protocol": "any", "endpoint_spec_type": "any",
             "endpoint_spec": []}]}),
    );
    let rules = s(&fw, "rule");
    assert_eq!(rules.as_list().len(), 4);
    assert_eq!(rules.as_list()[0].get("port_end"), &Dyn::int(443));
    assert_eq!(
        rules.as_list()[0].get("ip_prefixes"),
        &Dyn::List(vec![Dyn::str("10.0.0.0/8")])
    );
    assert_eq!(rules.as_list()[3].get("protocol"), &Dyn::str("icmp"));
    assert_eq!(rules.as_list()[3].get("port_start"), &Dyn::Null);
    assert_eq!(s(&fw, "name"), Dyn::str("web"));
}

#[test]
fn unsupported_sources_name_the_import_id() {
    let source = Source {
        provider: "registry.terraform.io/zorgatia/cloudaxion",
        type_name: "cloudaxion_vm_snapshot",
        version: 0,
    };
    let json = br#"{"id": "s-1", "location": "sgp01"}"#;
    let error = moved(&source, "idcloudhost_vm_snapshot", json)
        .unwrap()
        .unwrap_err();
    assert!(error.summary.starts_with("Unsupported move source"));
    assert!(error.detail.contains("\"sgp01/s-1\""), "{}", error.detail);
    let wrong_target = moved(
        &Source {
            type_name: "cloudaxion_vm",
            ..source
        },
        "idcloudhost_disk",
        json,
    )
    .unwrap()
    .unwrap_err();
    assert!(wrong_target.detail.contains("to = idcloudhost_vm.<name>"));
    assert!(wrong_target.detail.contains("\"sgp01/s-1\""));
    let attachment = moved(
        &Source {
            type_name: "cloudaxion_volume_attachment",
            version: 1,
            ..source
        },
        "idcloudhost_disk_attachment",
        br#"{"id": "v-1:m-1", "volume_id": "v-1", "vm_id": "m-1", "location": "jkt01"}"#,
    )
    .unwrap()
    .unwrap_err();
    assert!(
        attachment.detail.contains("\"jkt01/m-1/v-1\""),
        "{}",
        attachment.detail
    );
    let newer = moved(
        &Source {
            type_name: "cloudaxion_vm",
            version: 3,
            ..source
        },
        "idcloudhost_vm",
        json,
    )
    .unwrap()
    .unwrap_err();
    assert!(newer.detail.contains("version 3"));
}

#[test]
fn our_own_types_are_not_converted() {
    let source = Source {
        provider: "registry.terraform.io/idcloudhost/idcloudhost",
        type_name: "idcloudhost_vm",
        version: 0,
    };
    assert!(moved(&source, "idcloudhost_vm", b"{}").is_none());
    let ours = br#"{"id": "v", "ram_mb": 1024, "location": "jkt01"}"#;
    assert!(upgrade("idcloudhost_vm", 0, ours).is_none());
    assert!(upgrade(
        "idcloudhost_network",
        0,
        br#"{"id": "n", "is_default": false}"#
    )
    .is_none());
    assert!(upgrade("idcloudhost_vm", 1, br#"{"memory": 1}"#).is_none());
}

#[test]
fn foreign_shapes_of_our_type_names_are_recognised() {
    let vm = upgrade(
        "idcloudhost_vm",
        0,
        br#"{"id": "v", "uuid": "v", "memory": 1024, "initial_password": "Secret123"}"#,
    )
    .unwrap()
    .unwrap();
    assert_eq!(s(&vm, "ram_mb"), Dyn::int(1024));
    let ip = upgrade(
        "idcloudhost_floating_ip",
        0,
        br#"{"id": "1.2.3.4", "address": "1.2.3.4", "user_id": 5, "billing_account_id": 5}"#,
    )
    .unwrap()
    .unwrap();
    assert_eq!(s(&ip, "billing_account_id"), Dyn::Null);
    let fw = upgrade(
        "idcloudhost_firewall",
        0,
        br#"{"id": "f", "display_name": "x", "rules": []}"#,
    )
    .unwrap()
    .unwrap();
    assert_eq!(s(&fw, "name"), Dyn::str("x"));
}

/// Every route converts a state with the ids it needs into exactly the
/// attributes and blocks of its target, a registered resource type.
#[test]
fn every_route_fits_its_target_schema() {
    use crate::framework::typed::fields_match;
    use crate::framework::ProviderType;
    let resources = crate::IdcloudhostProvider::new().resources();
    let sample = json!({
        "id": "a1", "uuid": "a1", "address": "103.1.1.9", "name": "n", "access_key": "AK",
        "network_uuid": "n1", "volume_id": "v1", "vm_id": "m1", "firewall_id": "f1",
        "resource_id": "m1", "vm_uuid": "m1", "size": 20, "location": "jkt01"
    });
    for route in ROUTES {
        let ours = route.target.strip_prefix("idcloudhost_").unwrap();
        let target = resources
            .get(ours)
            .unwrap_or_else(|| panic!("{} is not a resource type", route.target));
        let converted = (route.convert)(&Foreign(sample.as_object().unwrap().clone()))
            .unwrap_or_else(|e| panic!("{}: {e:?}", route.source));
        let keys: Vec<&str> = converted.keys().map(String::as_str).collect();
        if let Err(e) = fields_match(&keys, target.spec()) {
            panic!("{} → {}: {e}", route.source, route.target);
        }
        assert!(
            converted.get("id").is_some_and(|id| !id.is_null()),
            "{}: {converted:?}",
            route.source
        );
    }
}
