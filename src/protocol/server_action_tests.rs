//! The action RPCs over the protocol: declared types and schemas, validation
//! naming the attribute, and an invocation's stream of progress then completion.

use tokio_stream::StreamExt;
use tonic::Request;

use super::tests::{assert_clean, server, sorted, summaries};
use super::*;
use crate::obj;
use tf::provider_server::Provider;

const ACTIONS: [&str; 5] = [
    "idcloudhost_vm_boot_media",
    "idcloudhost_vm_power",
    "idcloudhost_vm_reinstall",
    "idcloudhost_vm_restore_snapshot",
    "idcloudhost_vm_take_snapshot",
];

#[tokio::test]
async fn metadata_and_schema_declare_every_action() {
    let server = server();
    let metadata = server
        .get_metadata(Request::new(Default::default()))
        .await
        .unwrap()
        .into_inner();
    let declared = sorted(metadata.actions.iter().map(|a| &a.type_name));
    assert_eq!(declared, ACTIONS);

    let schema = server
        .get_provider_schema(Request::new(Default::default()))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(sorted(schema.action_schemas.keys()), ACTIONS);
    for (name, action) in &schema.action_schemas {
        let block = action.schema.as_ref().unwrap().block.as_ref().unwrap();
        assert!(!block.description.is_empty(), "{name}");
        let attr = |n: &str| block.attributes.iter().find(|a| a.name == n).unwrap();
        assert!(attr("vm_uuid").optional, "{name}");
        assert!(attr("vm_name").optional, "{name}");
        assert!(attr("location").optional, "{name}");
        assert!(attr("timeout").optional, "{name}");
        for a in &block.attributes {
            assert!(!a.computed, "{name}.{} is computed", a.name);
            assert!(!a.description.is_empty(), "{name}.{}", a.name);
        }
    }
}

#[tokio::test]
async fn validation_names_the_attribute_and_unknown_types_are_errors() {
    let server = server();
    let config = Dyn::Object(obj! {
        "vm_uuid" => "vm-1", "vm_name" => "web", "location" => Dyn::Null, "operation" => "reboot",
        "force" => Dyn::Null, "timeout" => "soon",
    });
    let response = server
        .validate_action_config(Request::new(tf::validate_action_config::Request {
            type_name: "idcloudhost_vm_power".into(),
            config: Some(encode(&config)),
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        summaries(&response.diagnostics),
        [
            "Invalid value for operation",
            "Invalid value for timeout",
            "Invalid value for vm_name"
        ]
    );
    assert_eq!(
        response.diagnostics[0].attribute,
        Some(attribute_name_path("operation"))
    );
    assert_eq!(
        response.diagnostics[2].detail,
        "Set vm_uuid or vm_name, not both."
    );

    let response = server
        .plan_action(Request::new(tf::plan_action::Request {
            action_type: "idcloudhost_nope".into(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        summaries(&response.diagnostics),
        ["This provider has no action type \"idcloudhost_nope\""]
    );
}

/// A server configured against a fresh simulator holding one running VM.
async fn configured() -> (ProviderServer, idcloudhost_sim::Simulator, String) {
    let (server, sim) = super::tests::configured(None).await;
    let http = reqwest::Client::new();
    let vm: serde_json::Value = http
        .post(format!("{}/v1/jkt01/user-resource/vm", sim.url()))
        .header("apikey", "sim-key")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("name=web&os_name=ubuntu&os_version=22.04-lts&vcpu=1&ram=1024&disks=20&reserve_public_ip=false")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let uuid = vm["uuid"].as_str().expect("a VM").to_owned();
    (server, sim, uuid)
}

#[tokio::test]
async fn an_invocation_streams_progress_then_completes() {
    let (server, _sim, uuid) = configured().await;
    let config = |operation: &str| {
        Dyn::Object(obj! {
            "vm_uuid" => uuid.as_str(), "location" => "jkt01", "operation" => operation,
            "force" => Dyn::Null, "timeout" => Dyn::Null,
        })
    };
    // Plan: a VM that does not exist is an error naming vm_uuid.
    let planned = server
        .plan_action(Request::new(tf::plan_action::Request {
            action_type: "idcloudhost_vm_power".into(),
            config: Some(encode(&Dyn::Object(obj! {
                "vm_uuid" => "nope", "location" => Dyn::Null, "operation" => "stop",
                "force" => Dyn::Null, "timeout" => Dyn::Null,
            }))),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        planned.diagnostics[0].attribute,
        Some(attribute_name_path("vm_uuid")),
        "{:?}",
        planned.diagnostics
    );

    let invoke = |operation: &str| {
        server.invoke_action(Request::new(tf::invoke_action::Request {
            action_type: "idcloudhost_vm_power".into(),
            config: Some(encode(&config(operation))),
            ..Default::default()
        }))
    };
    let events: Vec<_> = invoke("start").await.unwrap().into_inner().collect().await;
    use tf::invoke_action::event::Type;
    let messages: Vec<String> = events
        .iter()
        .filter_map(|e| match e.as_ref().unwrap().r#type.as_ref().unwrap() {
            Type::Progress(p) => Some(p.message.clone()),
            Type::Completed(_) => None,
        })
        .collect();
    assert_eq!(
        messages,
        [format!(
            "VM \"web\" ({uuid}) is already running: nothing to do"
        )]
    );
    match events
        .last()
        .unwrap()
        .as_ref()
        .unwrap()
        .r#type
        .as_ref()
        .unwrap()
    {
        Type::Completed(done) => assert_clean(&done.diagnostics),
        other => panic!("the last event is {other:?}"),
    }
    // Exactly one completion, last.
    let completions = events
        .iter()
        .filter(|e| matches!(e.as_ref().unwrap().r#type, Some(Type::Completed(_))))
        .count();
    assert_eq!(completions, 1);
}
