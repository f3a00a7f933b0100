//! Between the framework's values, schemas and diagnostics and the protocol's
//! messages.

use crate::framework::schema::{Attr, BlockSpec, Mode, Nesting, Ty};
use crate::framework::{Diagnostics, Dyn, IdentitySpec, OpError, PathStep, SchemaSpec};
use crate::logging::{self, Level};

use super::tfplugin6 as tf;
use tf::attribute_path::step::Selector;
use tf::schema::nested_block::NestingMode;

/// A value from Terraform: msgpack normally, JSON where Terraform says so; an
/// absent value is null.
pub fn decode(value: Option<&tf::DynamicValue>) -> Result<Dyn, OpError> {
    let Some(value) = value else {
        return Ok(Dyn::Null);
    };
    let decoded = if !value.msgpack.is_empty() {
        Dyn::from_msgpack(&value.msgpack)
    } else {
        Dyn::from_json_bytes(&value.json)
    };
    decoded.map_err(|e| {
        OpError::new("Terraform sent a value the provider cannot read").detail(e.to_string())
    })
}

pub fn encode(value: &Dyn) -> tf::DynamicValue {
    tf::DynamicValue {
        msgpack: value.to_msgpack(),
        json: Vec::new(),
    }
}

/// Stored state (JSON) from `UpgradeResourceState` or `MoveResourceState`.
pub fn decode_raw_state(raw: Option<&tf::RawState>) -> Result<Dyn, OpError> {
    match raw {
        Some(raw) if raw.json.is_empty() && !raw.flatmap.is_empty() => Err(OpError::new(
            "This state was written by Terraform 0.11 or older",
        )
        .detail("Upgrade the state with Terraform 0.12 through 1.x first.")),
        Some(raw) => Dyn::from_json_bytes(&raw.json)
            .map_err(|e| OpError::new("The stored state cannot be read").detail(e.to_string())),
        None => Ok(Dyn::Null),
    }
}

/// Private state: the provider's own bytes, msgpack of a value (empty = null).
pub fn decode_private(bytes: &[u8]) -> Dyn {
    // Private state is ours alone (always an object); anything else, such as
    // another provider's (JSON) after a replace-provider, means "nothing recorded".
    match Dyn::from_msgpack(bytes) {
        Ok(value @ Dyn::Object(_)) => value,
        _ => Dyn::Null,
    }
}

pub fn encode_private(value: &Dyn) -> Vec<u8> {
    if value.is_null() {
        Vec::new()
    } else {
        value.to_msgpack()
    }
}

pub fn attribute_path(error: &OpError) -> Option<tf::AttributePath> {
    let steps: Vec<_> = error
        .attribute_path()
        .into_iter()
        .map(|step| tf::attribute_path::Step {
            selector: Some(match step {
                PathStep::Attribute(name) => Selector::AttributeName(name),
                PathStep::Index(index) => Selector::ElementKeyInt(index),
            }),
        })
        .collect();
    (!steps.is_empty()).then_some(tf::AttributePath { steps })
}

pub fn attribute_name_path(name: &str) -> tf::AttributePath {
    tf::AttributePath {
        steps: vec![tf::attribute_path::Step {
            selector: Some(Selector::AttributeName(name.to_owned())),
        }],
    }
}

/// Every diagnostic Terraform gets, also logged (at error or warn).
pub fn diagnostics(diags: Diagnostics) -> Vec<tf::Diagnostic> {
    // The one place every diagnostic passes on its way to Terraform and the log:
    // sensitive and write-only values registered with `Diagnostics::hide` go.
    let diags = diags.scrubbed();
    for error in &diags.errors {
        logging::diagnostic(Level::Error, &error.summary, &error.detail);
    }
    for warning in &diags.warnings {
        logging::diagnostic(Level::Warn, &warning.summary, &warning.detail);
    }
    let one = |error: &OpError, severity: tf::diagnostic::Severity| tf::Diagnostic {
        severity: severity as i32,
        summary: error.summary.clone(),
        detail: error.detail.clone(),
        attribute: attribute_path(error),
    };
    diags
        .errors
        .iter()
        .map(|e| one(e, tf::diagnostic::Severity::Error))
        .chain(
            diags
                .warnings
                .iter()
                .map(|w| one(w, tf::diagnostic::Severity::Warning)),
        )
        .collect()
}

/// A type in cty's JSON form, as schemas carry it.
pub fn type_json(ty: &Ty) -> serde_json::Value {
    use serde_json::{json, Value};
    match ty {
        Ty::String => json!("string"),
        Ty::Number => json!("number"),
        Ty::Bool => json!("bool"),
        Ty::List(inner) => json!(["list", type_json(inner)]),
        Ty::Set(inner) => json!(["set", type_json(inner)]),
        Ty::Map(inner) => json!(["map", type_json(inner)]),
        Ty::Object(fields) => json!([
            "object",
            Value::Object(
                fields
                    .iter()
                    .map(|(name, ty)| (name.to_string(), type_json(ty)))
                    .collect()
            )
        ]),
    }
}

fn attribute(attr: &Attr) -> tf::schema::Attribute {
    tf::schema::Attribute {
        name: attr.name.to_owned(),
        r#type: type_json(&attr.ty).to_string().into_bytes(),
        description: attr.full_description(),
        required: attr.mode == Mode::Required,
        optional: matches!(attr.mode, Mode::Optional | Mode::OptionalComputed),
        computed: attr.is_computed(),
        sensitive: attr.sensitive,
        write_only: attr.write_only.is_some(),
        description_kind: tf::StringKind::Markdown as i32,
        deprecated: attr.deprecated.is_some(),
        deprecation_message: attr.deprecated.clone().unwrap_or_default(),
        ..Default::default()
    }
}

fn nested_block(block: &BlockSpec) -> tf::schema::NestedBlock {
    let (nesting, max_items) = match block.nesting {
        Nesting::List => (NestingMode::List, 0),
        Nesting::Set => (NestingMode::Set, 0),
        // A list of at most one: state keeps blocks as lists either way.
        Nesting::Optional => (NestingMode::List, 1),
    };
    tf::schema::NestedBlock {
        type_name: block.name.to_owned(),
        block: Some(tf::schema::Block {
            attributes: block.attrs.iter().map(attribute).collect(),
            description: block.description.clone(),
            description_kind: tf::StringKind::Markdown as i32,
            deprecated: block.deprecated.is_some(),
            deprecation_message: block.deprecated.clone().unwrap_or_default(),
            ..Default::default()
        }),
        nesting: nesting as i32,
        min_items: 0,
        max_items,
    }
}

pub fn schema(spec: &SchemaSpec) -> tf::Schema {
    tf::Schema {
        version: spec.version,
        block: Some(tf::schema::Block {
            version: spec.version,
            attributes: spec.attrs.iter().map(attribute).collect(),
            block_types: spec.blocks.iter().map(nested_block).collect(),
            description: spec.description.clone(),
            description_kind: tf::StringKind::Markdown as i32,
            ..Default::default()
        }),
    }
}

pub fn identity_schema(spec: &IdentitySpec) -> tf::ResourceIdentitySchema {
    tf::ResourceIdentitySchema {
        version: spec.version,
        identity_attributes: spec
            .attrs
            .iter()
            .map(|a| tf::resource_identity_schema::IdentityAttribute {
                name: a.name.to_owned(),
                r#type: type_json(&a.ty).to_string().into_bytes(),
                required_for_import: a.required_for_import,
                optional_for_import: !a.required_for_import,
                description: a.description.clone(),
            })
            .collect(),
    }
}

/// An identity from Terraform; absent means null (older Terraform sends none).
pub fn decode_identity(data: Option<&tf::ResourceIdentityData>) -> Result<Dyn, OpError> {
    decode(data.and_then(|d| d.identity_data.as_ref()))
}

/// An identity for Terraform: none for a null one (an object that is gone).
/// Terraform before 1.12 does not know the field and skips it.
pub fn encode_identity(identity: &Dyn) -> Option<tf::ResourceIdentityData> {
    (!identity.is_null()).then(|| tf::ResourceIdentityData {
        identity_data: Some(encode(identity)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::{timeouts_block, Validator};
    use crate::obj;

    #[test]
    fn private_data_of_another_provider_counts_as_empty() {
        // terraform-plugin-sdk v2 stores JSON; after a replace-provider it is ours.
        let sdk = br#"{"e2bfb730-ecaa-11e6-8f88-34363bc7c4c0":{"create":300000000000},"schema_version":"0"}"#;
        assert_eq!(decode_private(sdk), Dyn::Null);
        let ours = Dyn::Object(obj! {"imported" => true});
        assert_eq!(decode_private(&encode_private(&ours)), ours);
    }

    #[test]
    fn schema_carries_modes_types_and_blocks() {
        let spec = SchemaSpec::new("A thing.")
            .attr(Attr::required("name", Ty::String).force_new().desc("Name."))
            .attr(Attr::optional("size", Ty::Number).validate(Validator::IntRange(1, 9)))
            .attr(Attr::computed("id", Ty::String))
            .attr(Attr::optional("backup", Ty::Bool).default(false))
            .attr(Attr::optional("password", Ty::String).sensitive())
            .attr(Attr::computed(
                "rules",
                Ty::set(Ty::Object(vec![
                    ("port", Ty::Number),
                    ("tags", Ty::map(Ty::String)),
                ])),
            ))
            .block(timeouts_block(&["create"]));
        let schema = schema(&spec);
        let block = schema.block.unwrap();
        assert_eq!(block.description, "A thing.");
        let names: Vec<_> = block.attributes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["name", "size", "id", "backup", "password", "rules"]);
        let by_name = |n: &str| block.attributes.iter().find(|a| a.name == n).unwrap();
        let name = by_name("name");
        assert!(name.required && !name.optional && !name.computed);
        assert_eq!(
            name.description,
            "Name. Changing this forces a new resource."
        );
        assert_eq!(name.r#type, br#""string""#);
        let backup = by_name("backup");
        assert!(!backup.required && backup.optional && backup.computed);
        let id = by_name("id");
        assert!(!id.optional && id.computed);
        assert!(by_name("password").sensitive);
        let rules: serde_json::Value = serde_json::from_slice(&by_name("rules").r#type).unwrap();
        assert_eq!(
            rules,
            serde_json::json!(["set", ["object", {"port": "number", "tags": ["map", "string"]}]])
        );
        let timeouts = &block.block_types[0];
        assert_eq!(timeouts.type_name, "timeouts");
        assert_eq!(timeouts.nesting, NestingMode::List as i32);
        assert_eq!((timeouts.min_items, timeouts.max_items), (0, 1));
        assert_eq!(
            timeouts.block.as_ref().unwrap().attributes[0].name,
            "create"
        );
    }

    #[test]
    fn deprecated_attributes_and_blocks_carry_their_message() {
        let spec = SchemaSpec::new("t")
            .attr(Attr::optional("old", Ty::String).deprecated("Use `new` instead."))
            .attr(Attr::optional("new", Ty::String))
            .block(timeouts_block(&["create"]).deprecated("Use `timeout` instead."));
        let block = schema(&spec).block.unwrap();
        let old = &block.attributes[0];
        assert!(old.deprecated);
        assert_eq!(old.deprecation_message, "Use `new` instead.");
        let new = &block.attributes[1];
        assert!(!new.deprecated && new.deprecation_message.is_empty());
        let timeouts = block.block_types[0].block.as_ref().unwrap();
        assert!(timeouts.deprecated);
        assert_eq!(timeouts.deprecation_message, "Use `timeout` instead.");
    }

    #[test]
    fn diagnostics_point_at_attributes() {
        let mut diags = Diagnostics::default();
        diags.error(&OpError::invalid("rule.1.port_start", "too big"));
        diags.warning(&OpError::new("careful"));
        let out = diagnostics(diags);
        assert_eq!(out[0].severity, tf::diagnostic::Severity::Error as i32);
        assert_eq!(out[0].summary, "Invalid value for rule.1.port_start");
        let steps: Vec<_> = out[0]
            .attribute
            .as_ref()
            .unwrap()
            .steps
            .iter()
            .map(|s| s.selector.clone().unwrap())
            .collect();
        assert_eq!(
            steps,
            [
                Selector::AttributeName("rule".into()),
                Selector::ElementKeyInt(1),
                Selector::AttributeName("port_start".into()),
            ]
        );
        assert_eq!(out[1].severity, tf::diagnostic::Severity::Warning as i32);
        assert!(out[1].attribute.is_none());
    }

    #[test]
    fn values_decode_from_either_encoding() {
        let value = Dyn::Object(obj! {"id" => Dyn::Unknown, "n" => 3i64});
        assert_eq!(decode(Some(&encode(&value))).unwrap(), value);
        let json = tf::DynamicValue {
            msgpack: Vec::new(),
            json: br#"{"id":"x","n":3}"#.to_vec(),
        };
        assert_eq!(
            decode(Some(&json)).unwrap(),
            Dyn::Object(obj! {"id" => "x", "n" => 3i64})
        );
        assert_eq!(decode(None).unwrap(), Dyn::Null);
        // A truncated array: two elements announced, one sent.
        let truncated = tf::DynamicValue {
            msgpack: vec![0x92, 0x01],
            json: vec![],
        };
        assert!(decode(Some(&truncated)).is_err());
    }

    #[test]
    fn private_state_round_trips_and_null_is_empty() {
        let marker = Dyn::Object(obj! {"imported" => true});
        assert_eq!(decode_private(&encode_private(&marker)), marker);
        assert!(encode_private(&Dyn::Null).is_empty());
        assert_eq!(decode_private(&[]), Dyn::Null);
        // What tf-provider wrote for "no private state".
        assert_eq!(decode_private(&[0xc0]), Dyn::Null);
    }

    #[test]
    fn flatmap_state_is_refused_clearly() {
        let raw = tf::RawState {
            json: Vec::new(),
            flatmap: [("id".to_owned(), "x".to_owned())].into(),
        };
        let err = decode_raw_state(Some(&raw)).unwrap_err();
        assert!(err.summary.contains("0.11"));
    }
}
