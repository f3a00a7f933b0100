//! Resource identity (Terraform 1.12+): the few state attributes that name one
//! remote object, stored by Terraform next to the state and accepted by
//! `import { identity = {...} }`.
//!
//! A resource declares its identity once (`ResourceType::IDENTITY`) as the pieces
//! of its import ID, in order. An identity import therefore goes through the
//! resource's own `import`: the identity is written as the import ID it stands
//! for (`[<location>/]<piece>/<piece>`), so the parsing and checks stay in one place.

use super::error::OpError;
use super::resource::LOCATION;
use super::schema::{SchemaSpec, Ty};
use super::value::Dyn;

/// Whether `location` is part of an identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    /// When the schema has a `location` attribute.
    FromSchema,
    Located,
    Global,
}

/// A resource's identity declaration: the state attributes its import ID is made
/// of, in the import ID's order (each required in an identity import), and
/// whether `location` (optional in an identity import, like the `<location>/`
/// prefix of the import ID) completes it.
#[derive(Clone, Copy, Debug)]
pub struct Identity {
    parts: &'static [&'static str],
    scope: Scope,
}

impl Identity {
    /// `id`, plus `location` when the resource has one: most resources.
    pub const ID: Identity = Identity {
        parts: &["id"],
        scope: Scope::FromSchema,
    };

    /// `parts` and an optional `location`: import ID `[<location>/]<a>/<b>`.
    pub const fn located(parts: &'static [&'static str]) -> Identity {
        Identity {
            parts,
            scope: Scope::Located,
        }
    }

    /// `parts` only: a resource identified without a location (import ID `<a>`).
    pub const fn global(parts: &'static [&'static str]) -> Identity {
        Identity {
            parts,
            scope: Scope::Global,
        }
    }

    /// The identity schema, taking types and descriptions from the resource schema.
    /// Panics when the declaration names an attribute the schema lacks (a
    /// programming error every resource's unit test would catch).
    pub fn resolve(self, type_name: &str, schema: &SchemaSpec) -> IdentitySpec {
        let located = match self.scope {
            Scope::FromSchema => schema.attr_spec(LOCATION).is_some(),
            Scope::Located => true,
            Scope::Global => false,
        };
        let attr = |name: &'static str, required_for_import: bool| {
            let spec = schema.attr_spec(name).unwrap_or_else(|| {
                panic!("{type_name}: identity attribute {name:?} is not in the schema")
            });
            assert_eq!(
                spec.ty,
                Ty::String,
                "{type_name}: identity attribute {name:?} must be a string"
            );
            IdentityAttr {
                name,
                ty: spec.ty.clone(),
                required_for_import,
                description: spec.description.clone(),
            }
        };
        let mut attrs: Vec<IdentityAttr> = self.parts.iter().map(|p| attr(p, true)).collect();
        if located {
            attrs.push(attr(LOCATION, false));
        }
        IdentitySpec {
            version: 0,
            type_name: type_name.to_owned(),
            attrs,
        }
    }
}

/// One attribute of an identity: a state attribute of the same name.
#[derive(Clone, Debug)]
pub struct IdentityAttr {
    pub name: &'static str,
    pub ty: Ty,
    /// Required in an identity import; otherwise optional (`location`).
    pub required_for_import: bool,
    pub description: String,
}

/// A resource's identity schema, as Terraform is told it.
#[derive(Clone, Debug)]
pub struct IdentitySpec {
    pub version: i64,
    /// Full type name, for messages (`idcloudhost_vm`).
    pub type_name: String,
    /// The import ID's pieces in order, then the optional ones.
    pub attrs: Vec<IdentityAttr>,
}

impl IdentitySpec {
    /// The identity of a state: its identity attributes (unknown while planned,
    /// null when absent); null for a null state (an object that is gone).
    pub fn of_state(&self, state: &Dyn) -> Dyn {
        if state.is_null() {
            return Dyn::Null;
        }
        Dyn::Object(
            self.attrs
                .iter()
                .map(|a| (a.name.to_owned(), state.get(a.name).clone()))
                .collect(),
        )
    }

    /// Shapes an identity to this schema: every attribute, nothing extra.
    pub fn normalize(&self, identity: Dyn) -> Dyn {
        if identity.is_null() {
            return Dyn::Null;
        }
        let mut given = identity.into_obj();
        Dyn::Object(
            self.attrs
                .iter()
                .map(|a| {
                    let value = given.remove(a.name).unwrap_or_default();
                    (a.name.to_owned(), a.ty.normalize(value))
                })
                .collect(),
        )
    }

    /// The import ID an identity stands for: `[<location>/]<piece>[/<piece>]`, so
    /// the resource's own import parses and checks it. Every required piece must
    /// be a non-empty string without `/`; a null `location` leaves the location to
    /// the import (the provider's, else the account's default).
    pub fn import_id(&self, identity: &Dyn) -> Result<String, OpError> {
        let invalid = |detail: String| {
            OpError::new(format!("Invalid import identity for {}", self.type_name)).detail(detail)
        };
        let expected = self
            .attrs
            .iter()
            .map(|a| {
                let need = if a.required_for_import {
                    "required"
                } else {
                    "optional"
                };
                format!("{} ({need})", a.name)
            })
            .collect::<Vec<_>>()
            .join(", ");
        if identity.as_obj().is_none() {
            return Err(invalid(format!(
                "Expected an object with the attributes {expected}."
            )));
        }
        let mut required = Vec::new();
        let mut prefix = Vec::new();
        for attr in &self.attrs {
            let value = identity.get(attr.name);
            let text = match value {
                Dyn::String(text) => text.trim(),
                Dyn::Null if !attr.required_for_import => continue,
                Dyn::Null => {
                    return Err(invalid(format!(
                        "{:?} is required. Expected the attributes {expected}.",
                        attr.name
                    )))
                }
                _ => return Err(invalid(format!("{:?} must be a known string.", attr.name))),
            };
            if text.is_empty() || text.contains('/') {
                return Err(invalid(format!(
                    "{:?} is {text:?}: expected a non-empty value without \"/\".",
                    attr.name
                )));
            }
            if attr.required_for_import {
                required.push(text.to_owned());
            } else {
                prefix.push(text.to_owned());
            }
        }
        prefix.extend(required);
        Ok(prefix.join("/"))
    }

    /// A stored identity (decoded from JSON) written with `version`, shaped to
    /// the current identity schema.
    pub fn upgrade(&self, version: i64, stored: Dyn) -> Result<Dyn, OpError> {
        if version > self.version {
            return Err(OpError::new(format!(
                "The identity of this {} was written by a newer provider",
                self.type_name
            ))
            .detail(format!(
                "Its identity schema version is {version}; this provider knows versions up to {}. Upgrade the provider.",
                self.version
            )));
        }
        Ok(self.normalize(stored))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::schema::Attr;
    use crate::obj;

    fn schema(with_location: bool) -> SchemaSpec {
        let spec = SchemaSpec::new("t")
            .attr(Attr::computed("id", Ty::String).desc("The uuid."))
            .attr(Attr::required("vm_uuid", Ty::String).desc("The VM."))
            .attr(Attr::required("name", Ty::String));
        if with_location {
            spec.attr(Attr::optional_computed(LOCATION, Ty::String).desc("Where."))
        } else {
            spec
        }
    }

    fn names(spec: &IdentitySpec) -> Vec<(&str, bool)> {
        spec.attrs
            .iter()
            .map(|a| (a.name, a.required_for_import))
            .collect()
    }

    #[test]
    fn location_joins_the_identity_when_the_resource_has_one() {
        let located = Identity::ID.resolve("t_a", &schema(true));
        assert_eq!(names(&located), [("id", true), ("location", false)]);
        assert_eq!(located.attrs[0].description, "The uuid.");
        let global = Identity::ID.resolve("t_b", &schema(false));
        assert_eq!(names(&global), [("id", true)]);
        let explicit = Identity::global(&["id"]).resolve("t_c", &schema(true));
        assert_eq!(names(&explicit), [("id", true)]);
        let pair = Identity::located(&["vm_uuid", "id"]).resolve("t_d", &schema(true));
        assert_eq!(
            names(&pair),
            [("vm_uuid", true), ("id", true), ("location", false)]
        );
    }

    #[test]
    #[should_panic(expected = "not in the schema")]
    fn an_identity_names_state_attributes() {
        Identity::located(&["nope"]).resolve("t_e", &schema(true));
    }

    #[test]
    fn the_identity_of_a_state_is_its_identity_attributes() {
        let spec = Identity::located(&["vm_uuid", "id"]).resolve("t", &schema(true));
        let state = Dyn::Object(obj! {
            "id" => "r-1", "vm_uuid" => "vm-1", "name" => "x", "location" => "jkt01",
        });
        assert_eq!(
            spec.of_state(&state),
            Dyn::Object(obj! { "id" => "r-1", "vm_uuid" => "vm-1", "location" => "jkt01" })
        );
        // Planned for create: unknown parts stay unknown; a gone object has none.
        let planned = Dyn::Object(obj! { "id" => Dyn::Unknown, "vm_uuid" => "vm-1" });
        assert_eq!(spec.of_state(&planned).get("id"), &Dyn::Unknown);
        assert_eq!(spec.of_state(&planned).get("location"), &Dyn::Null);
        assert_eq!(spec.of_state(&Dyn::Null), Dyn::Null);
    }

    #[test]
    fn an_identity_is_written_as_its_import_id() {
        let spec = Identity::located(&["vm_uuid", "id"]).resolve("t_x", &schema(true));
        let with_location = Dyn::Object(obj! {
            "id" => "r-1", "vm_uuid" => "vm-1", "location" => "jkt02",
        });
        assert_eq!(spec.import_id(&with_location).unwrap(), "jkt02/vm-1/r-1");
        let without =
            Dyn::Object(obj! { "id" => " r-1 ", "vm_uuid" => "vm-1", "location" => Dyn::Null });
        assert_eq!(spec.import_id(&without).unwrap(), "vm-1/r-1");

        let missing = Dyn::Object(obj! { "id" => Dyn::Null, "vm_uuid" => "vm-1" });
        let error = spec.import_id(&missing).unwrap_err();
        assert_eq!(error.summary, "Invalid import identity for t_x");
        assert!(
            error.detail.contains("\"id\" is required"),
            "{}",
            error.detail
        );
        assert!(
            error.detail.contains("location (optional)"),
            "{}",
            error.detail
        );
        for bad in ["", "a/b"] {
            let identity = Dyn::Object(obj! { "id" => bad, "vm_uuid" => "vm-1" });
            let error = spec.import_id(&identity).unwrap_err();
            assert_eq!(
                error.detail,
                format!("\"id\" is {bad:?}: expected a non-empty value without \"/\".")
            );
        }
        assert!(spec.import_id(&Dyn::Null).is_err());
    }

    #[test]
    fn stored_identities_are_shaped_and_newer_ones_refused() {
        let spec = Identity::ID.resolve("t_y", &schema(true));
        let stored = Dyn::Object(obj! { "id" => "r-1", "extra" => 1 });
        assert_eq!(
            spec.upgrade(0, stored).unwrap(),
            Dyn::Object(obj! { "id" => "r-1", "location" => Dyn::Null })
        );
        let error = spec.upgrade(1, Dyn::Null).unwrap_err();
        assert!(error.summary.contains("newer provider"));
    }
}
