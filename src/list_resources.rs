//! List resources for `terraform query`, one per resource type and of the same
//! name, written once: each lists its type's objects from the shared list calls
//! (the lookups' `ListKind`), filters them, and returns each with the state the
//! resource itself records after an import (its own import and read mapping),
//! so configuration generated from a listing plans no change.

use std::collections::HashMap;
use std::marker::PhantomData;

use async_trait::async_trait;

use crate::context::{ProviderData, Shared};
use crate::data_sources::lookup::{
    self, filter_args, located, location_arg, lookup_location, shown, Candidate, ListKind, State,
    NAME_REGEX,
};
use crate::framework::resource::LOCATION;
use crate::framework::{
    from_state, warn, Dyn, DynamicListResource, ListAdapter, ListResourceType, Listed, Managed,
    Mode, Obj, OpError, ResourceType, SchemaSpec,
};

pub struct ListOf<K: ListKind> {
    resource: Managed<K::Resource>,
    kind: PhantomData<K>,
}

impl<K: ListKind> ListOf<K> {
    pub fn new(shared: &Shared) -> Self {
        ListOf {
            resource: Managed::new(K::resource(), shared.clone()),
            kind: PhantomData,
        }
    }
}

/// `<name> (<location>, <address>)`, leaving out what the object does not have.
/// `state` is the resource's (`list` has read it into `State<K>` already).
fn display_name<K: ListKind>(candidate: &Candidate, location: &str, state: &Obj) -> String {
    let name = if candidate.name.is_empty() {
        &candidate.id
    } else {
        &candidate.name
    };
    let details: Vec<String> = [
        state
            .get(LOCATION)
            .and_then(|l| l.as_str())
            .or(Some(location))
            .filter(|l| !l.is_empty())
            .map(str::to_owned),
        from_state::<State<K>>(state)
            .ok()
            .and_then(|typed| K::address(&typed)),
    ]
    .into_iter()
    .flatten()
    .collect();
    if details.is_empty() {
        name.clone()
    } else {
        format!("{name} ({})", details.join(", "))
    }
}

#[async_trait]
impl<K: ListKind> ListResourceType for ListOf<K> {
    type Platform = ProviderData;
    const NAME: &'static str = <K::Resource as ResourceType>::NAME;

    fn schema(&self) -> SchemaSpec {
        let noun = K::NOUN;
        let mut spec = SchemaSpec::new(format!(
            "Lists existing {noun}s for `terraform query`, each with the identity and the attributes of `idcloudhost_{}`: `terraform query -generate-config-out=FILE` writes an import block and configuration for each. Each is shown as `<name> (<location>, <address>)`.",
            K::Resource::NAME
        ));
        if located::<K>() {
            // An argument only: a list block's configuration has no computed values.
            let mut location = location_arg(noun);
            location.mode = Mode::Optional;
            spec = spec.attr(location);
        }
        spec.attrs(filter_args::<K>())
    }

    async fn list(
        &self,
        ctx: &ProviderData,
        config: &Obj,
        limit: usize,
    ) -> Result<Vec<Listed>, OpError> {
        // A type the brand lacks has no objects to adopt: the same query serves
        // every brand, and says what it skipped.
        let generation = ctx.client.generation();
        if let Some(feature) = K::Resource::FEATURE.filter(|f| !generation.supports(*f)) {
            warn(
                OpError::new(format!(
                    "idcloudhost_{} lists nothing on {}",
                    K::Resource::NAME,
                    generation.brand()
                ))
                .detail(feature.unavailable(generation)),
            );
            return Ok(Vec::new());
        }
        let configured = |name: &str| config.get(name).and_then(Dyn::as_str);
        let location = lookup_location::<K>(ctx, configured(LOCATION)).await?;
        let candidates = K::adoptable(ctx, &location).await?;
        let name_regex = configured(NAME_REGEX);
        let shown = shown::<K>(
            &self.resource,
            ctx,
            &location,
            candidates,
            name_regex,
            config,
            limit,
        );
        Ok(shown
            .await?
            .into_iter()
            .map(|shown| Listed {
                display_name: display_name::<K>(&shown.candidate, &location, &shown.state),
                state: shown.state,
            })
            .collect())
    }
}

fn entry<K: ListKind>(shared: &Shared) -> (String, Box<dyn DynamicListResource>) {
    (
        <K::Resource as ResourceType>::NAME.to_owned(),
        Box::new(ListAdapter::new(ListOf::<K>::new(shared), shared.clone())),
    )
}

/// A list resource for every resource type, keyed by its name without the
/// provider prefix.
pub fn all(shared: &Shared) -> HashMap<String, Box<dyn DynamicListResource>> {
    HashMap::from([
        entry::<lookup::Vms>(shared),
        entry::<lookup::VmSnapshots>(shared),
        entry::<lookup::Networks>(shared),
        entry::<lookup::FloatingIps>(shared),
        entry::<lookup::FloatingIpAssignments>(shared),
        entry::<lookup::Disks>(shared),
        entry::<lookup::DiskAttachments>(shared),
        entry::<lookup::Firewalls>(shared),
        entry::<lookup::FirewallAttachments>(shared),
        entry::<lookup::LoadBalancers>(shared),
        entry::<lookup::ServicePackages>(shared),
        entry::<lookup::SshKeys>(shared),
        entry::<lookup::Buckets>(shared),
        entry::<lookup::S3Credentials>(shared),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::obj;

    fn named(id: &str, name: &str) -> Candidate {
        Candidate {
            id: id.into(),
            name: name.into(),
        }
    }

    #[test]
    fn display_names_give_name_location_and_address() {
        let vm = obj! {"location" => "jkt02", "private_ipv4" => "10.0.0.5", "public_ipv4" => "203.0.113.9"};
        assert_eq!(
            display_name::<lookup::Vms>(&named("u", "web-1"), "jkt01", &vm),
            "web-1 (jkt02, 203.0.113.9)"
        );
        let private_only = obj! {"location" => "jkt01", "private_ipv4" => "10.0.0.5"};
        assert_eq!(
            display_name::<lookup::Vms>(&named("u", "web-2"), "jkt01", &private_only),
            "web-2 (jkt01, 10.0.0.5)"
        );
        // Global types: the name alone; an object without a name: its id.
        assert_eq!(
            display_name::<lookup::SshKeys>(&named("k-1", "ops"), "", &obj! {}),
            "ops"
        );
        assert_eq!(
            display_name::<lookup::Disks>(&named("d-1", ""), "jkt01", &obj! {}),
            "d-1 (jkt01)"
        );
    }

    #[test]
    fn list_configuration_is_arguments_only() {
        let spec = ListOf::<lookup::FloatingIps>::new(&Shared::default()).schema();
        let names: Vec<&str> = spec.attrs.iter().map(|a| a.name).collect();
        assert_eq!(names, ["location", "name_regex", "assigned"]);
        assert!(spec.attrs.iter().all(|a| a.mode == Mode::Optional));
        let global = ListOf::<lookup::Buckets>::new(&Shared::default()).schema();
        assert!(global.attr_spec("location").is_none());
    }
}
