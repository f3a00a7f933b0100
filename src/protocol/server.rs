//! `tfplugin6.Provider`: each RPC (one `serve`) decodes Terraform's values, calls the
//! framework's resource or data source adapter, and encodes the answer.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::Arc;

use tokio_stream::Stream;
use tonic::{Request, Response, Status};

use crate::framework::{
    ClientCapabilities, Diagnostics, Dyn, DynamicAction, DynamicDataSource,
    DynamicEphemeralResource, DynamicListResource, DynamicResource, Listed, OpError, Progress,
    ProviderType, SchemaSpec,
};

use super::convert::{
    attribute_name_path, decode, decode_identity, decode_private, decode_raw_state, diagnostics,
    encode, encode_identity, encode_private, identity_schema, schema,
};
use super::tfplugin6 as tf;
use crate::logging::Rpc;
use crate::migrate;

pub struct ProviderServer {
    provider: Box<dyn ProviderType>,
    /// Full type names (`idcloudhost_vm`).
    resources: HashMap<String, Box<dyn DynamicResource>>,
    data_sources: HashMap<String, Box<dyn DynamicDataSource>>,
    /// Each has the name of the resource type it lists.
    list_resources: HashMap<String, Box<dyn DynamicListResource>>,
    provider_schema: tf::Schema,
    resource_schemas: HashMap<String, tf::Schema>,
    data_source_schemas: HashMap<String, tf::Schema>,
    identity_schemas: HashMap<String, tf::ResourceIdentitySchema>,
    list_resource_schemas: HashMap<String, tf::Schema>,
    actions: HashMap<String, Arc<dyn DynamicAction>>,
    action_schemas: HashMap<String, tf::ActionSchema>,
    ephemeral_resources: HashMap<String, Box<dyn DynamicEphemeralResource>>,
    ephemeral_resource_schemas: HashMap<String, tf::Schema>,
}

impl ProviderServer {
    /// Stops the provider: every wait in progress ends (Ctrl-C, process end).
    pub fn stop(&self) {
        self.provider.stop();
    }

    pub fn new(name: &str, provider: impl ProviderType) -> Self {
        let resources = prefixed(name, provider.resources());
        let data_sources = prefixed(name, provider.data_sources());
        let list_resources = prefixed(name, provider.list_resources());
        let actions = prefixed(name, provider.actions());
        let ephemeral_resources = prefixed(name, provider.ephemeral_resources());
        ProviderServer {
            action_schemas: schemas(&actions, |a| tf::ActionSchema {
                schema: Some(schema(a.spec())),
            }),
            actions,
            provider_schema: schema(&provider.schema()),
            resource_schemas: schemas(&resources, |r| schema(r.spec())),
            data_source_schemas: schemas(&data_sources, |d| schema(d.spec())),
            identity_schemas: schemas(&resources, |r| identity_schema(r.identity_schema())),
            list_resource_schemas: schemas(&list_resources, |l| schema(l.spec())),
            ephemeral_resource_schemas: schemas(&ephemeral_resources, |e| schema(e.spec())),
            ephemeral_resources,
            provider: Box::new(provider),
            resources,
            data_sources,
            list_resources,
        }
    }

    fn capabilities() -> tf::ServerCapabilities {
        tf::ServerCapabilities {
            plan_destroy: true,
            get_provider_schema_optional: true,
            move_resource_state: true,
            generate_resource_config: true,
        }
    }

    fn resource(&self, type_name: &str) -> Result<&dyn DynamicResource, OpError> {
        self.resources
            .get(type_name)
            .map(|r| r.as_ref())
            .ok_or_else(|| unknown_type("resource", type_name))
    }

    /// The identity of a state of `type_name` (null for an unknown type).
    fn identity_of(&self, type_name: &str, state: &Dyn) -> Dyn {
        self.resource(type_name)
            .map(|r| r.identity(state))
            .unwrap_or(Dyn::Null)
    }

    fn data_source(&self, type_name: &str) -> Result<&dyn DynamicDataSource, OpError> {
        self.data_sources
            .get(type_name)
            .map(|d| d.as_ref())
            .ok_or_else(|| unknown_type("data source", type_name))
    }

    fn action(&self, type_name: &str) -> Result<Arc<dyn DynamicAction>, OpError> {
        self.actions
            .get(type_name)
            .cloned()
            .ok_or_else(|| unknown_type("action", type_name))
    }

    fn ephemeral_resource(
        &self,
        type_name: &str,
    ) -> Result<&dyn DynamicEphemeralResource, OpError> {
        self.ephemeral_resources
            .get(type_name)
            .map(|e| e.as_ref())
            .ok_or_else(|| unknown_type("ephemeral resource", type_name))
    }

    /// Closes the ephemeral objects this process opened and Terraform did not
    /// close (it skips the close when something that used them failed), before
    /// the process ends. What fails is logged: Terraform is no longer listening.
    pub async fn close_leftover_ephemerals(&self) {
        let mut diags = Diagnostics::default();
        for ephemeral in self.ephemeral_resources.values() {
            ephemeral.close_leftovers(&mut diags).await;
        }
        diagnostics(diags);
    }

    /// A list resource and the resource type it lists.
    fn list_resource(
        &self,
        type_name: &str,
    ) -> Result<(&dyn DynamicListResource, &dyn DynamicResource), OpError> {
        let list = self
            .list_resources
            .get(type_name)
            .ok_or_else(|| unknown_type("list resource", type_name))?;
        Ok((list.as_ref(), self.resource(type_name)?))
    }
}

/// One kind of the provider's types under their full names: `vm` becomes
/// `idcloudhost_vm` (the provider's `name`, then the type's).
fn prefixed<T>(name: &str, types: HashMap<String, T>) -> HashMap<String, T> {
    types
        .into_iter()
        .map(|(type_name, t)| (format!("{name}_{type_name}"), t))
        .collect()
}

/// What the server announces of each type of one kind (its schema), under the
/// type's full name.
fn schemas<T, S>(types: &HashMap<String, T>, of: impl Fn(&T) -> S) -> HashMap<String, S> {
    types
        .iter()
        .map(|(name, t)| (name.clone(), of(t)))
        .collect()
}

/// One `ListResource` event: the object's display name, its identity and, when
/// asked for, its whole state.
fn listed_event(
    resource: &dyn DynamicResource,
    listed: Listed,
    include_resource: bool,
) -> tf::list_resource::Event {
    let state = Dyn::Object(listed.state);
    tf::list_resource::Event {
        identity: encode_identity(&resource.identity(&state)),
        display_name: listed.display_name,
        resource_object: include_resource.then(|| encode(&state)),
        diagnostic: Vec::new(),
    }
}

fn unknown_type(kind: &str, type_name: &str) -> OpError {
    OpError::new(format!("This provider has no {kind} type {type_name:?}"))
}

/// The answer of one RPC: its value, unless it failed, and its diagnostics. An
/// `Err` (unknown type, undecodable value) is one more error diagnostic.
fn settle<T>(
    mut diags: Diagnostics,
    result: Result<Option<T>, OpError>,
) -> (Option<T>, Vec<tf::Diagnostic>) {
    let value = result.unwrap_or_else(|e| {
        diags.error(&e);
        None
    });
    (value, diagnostics(diags))
}

/// The identity a plan announces for a new object: null until all of it is known
/// (Terraform cannot render an identity with unknown parts in a saved plan).
fn planned_identity(resource: &dyn DynamicResource, planned: &Dyn) -> Dyn {
    let identity = resource.identity(planned);
    if identity.is_wholly_known() {
        identity
    } else {
        Dyn::Null
    }
}

/// Hides the sensitive and write-only values of these objects of `spec` from
/// every diagnostic of the call (see `Diagnostics::hide`).
fn hide_secrets<'a>(
    diags: &mut Diagnostics,
    spec: &SchemaSpec,
    values: impl IntoIterator<Item = &'a Dyn>,
) {
    for value in values {
        diags.hide(spec.secret_values(value));
    }
}

/// Terraform's values of an object of `spec`, decoded, with their secrets hidden
/// from every diagnostic of the call: the first step of an RPC on such values.
fn decode_hiding<const N: usize>(
    diags: &mut Diagnostics,
    spec: &SchemaSpec,
    values: [Option<&tf::DynamicValue>; N],
) -> Result<[Dyn; N], OpError> {
    let mut decoded = std::array::from_fn(|_| Dyn::Null);
    for (slot, value) in decoded.iter_mut().zip(values) {
        *slot = decode(value)?;
    }
    hide_secrets(diags, spec, &decoded);
    Ok(decoded)
}

type EventStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

/// Every RPC's one shape, as terraform-plugin-go's server gives each of its
/// methods: logged from "Received request" to "Served request" (`Rpc`), `call`
/// decodes Terraform's values and calls the framework with the call's
/// diagnostics, and `answer` encodes what it returned with those diagnostics.
/// An `Err` of `call` (an unknown type, an undecodable value) is one more error
/// diagnostic and leaves `answer` a `None`.
///
/// An RPC is then its call and its answer (see `read_data_source`):
///
/// ```ignore
/// let request = request.into_inner();
/// let call = async |diags: &mut Diagnostics| {
///     let data_source = self.data_source(&request.type_name)?;
///     Ok(data_source.read(diags, decode(request.config.as_ref())?).await)
/// };
/// serve("ReadDataSource", &request.type_name, call, |state, diagnostics| {
///     tf::read_data_source::Response { state: state.map(|s| encode(&s)), diagnostics, .. }
/// })
/// .await
/// ```
async fn serve<T, R>(
    rpc: &'static str,
    type_name: &str,
    call: impl AsyncFnOnce(&mut Diagnostics) -> Result<Option<T>, OpError>,
    answer: impl FnOnce(Option<T>, Vec<tf::Diagnostic>) -> R,
) -> Result<Response<R>, Status> {
    let _rpc = Rpc::start(rpc, type_name);
    let mut diags = Diagnostics::default();
    let result = call(&mut diags).await;
    let (value, diagnostics) = settle(diags, result);
    Ok(Response::new(answer(value, diagnostics)))
}

/// The call of an RPC that only answers from what the server holds.
async fn nothing_to_call(_: &mut Diagnostics) -> Result<Option<()>, OpError> {
    Ok(Some(()))
}

#[tonic::async_trait]
impl tf::provider_server::Provider for ProviderServer {
    async fn get_metadata(
        &self,
        _request: Request<tf::get_metadata::Request>,
    ) -> Result<Response<tf::get_metadata::Response>, Status> {
        fn names<T, M>(types: &HashMap<String, T>, meta: impl Fn(String) -> M) -> Vec<M> {
            types.keys().cloned().map(meta).collect()
        }
        use tf::get_metadata as m;
        serve("GetMetadata", "", nothing_to_call, |_, diagnostics| {
            m::Response {
                server_capabilities: Some(Self::capabilities()),
                diagnostics,
                resources: names(&self.resources, |type_name| m::ResourceMetadata {
                    type_name,
                }),
                data_sources: names(&self.data_sources, |type_name| m::DataSourceMetadata {
                    type_name,
                }),
                list_resources: names(&self.list_resources, |type_name| m::ListResourceMetadata {
                    type_name,
                }),
                actions: names(&self.actions, |type_name| m::ActionMetadata { type_name }),
                ephemeral_resources: names(&self.ephemeral_resources, |type_name| {
                    m::EphemeralMetadata { type_name }
                }),
                ..Default::default()
            }
        })
        .await
    }

    async fn get_provider_schema(
        &self,
        _request: Request<tf::get_provider_schema::Request>,
    ) -> Result<Response<tf::get_provider_schema::Response>, Status> {
        serve(
            "GetProviderSchema",
            "",
            nothing_to_call,
            |_, diagnostics| {
                tf::get_provider_schema::Response {
                    provider: Some(self.provider_schema.clone()),
                    resource_schemas: self.resource_schemas.clone(),
                    data_source_schemas: self.data_source_schemas.clone(),
                    list_resource_schemas: self.list_resource_schemas.clone(),
                    action_schemas: self.action_schemas.clone(),
                    ephemeral_resource_schemas: self.ephemeral_resource_schemas.clone(),
                    // No provider_meta block: an empty schema.
                    provider_meta: Some(tf::Schema {
                        version: 0,
                        block: Some(tf::schema::Block::default()),
                    }),
                    server_capabilities: Some(Self::capabilities()),
                    diagnostics,
                    ..Default::default()
                }
            },
        )
        .await
    }

    async fn get_resource_identity_schemas(
        &self,
        _request: Request<tf::get_resource_identity_schemas::Request>,
    ) -> Result<Response<tf::get_resource_identity_schemas::Response>, Status> {
        serve(
            "GetResourceIdentitySchemas",
            "",
            nothing_to_call,
            |_, diagnostics| tf::get_resource_identity_schemas::Response {
                identity_schemas: self.identity_schemas.clone(),
                diagnostics,
            },
        )
        .await
    }

    async fn get_functions(
        &self,
        _request: Request<tf::get_functions::Request>,
    ) -> Result<Response<tf::get_functions::Response>, Status> {
        serve("GetFunctions", "", nothing_to_call, |_, diagnostics| {
            tf::get_functions::Response {
                diagnostics,
                ..Default::default()
            }
        })
        .await
    }

    async fn validate_provider_config(
        &self,
        request: Request<tf::validate_provider_config::Request>,
    ) -> Result<Response<tf::validate_provider_config::Response>, Status> {
        let request = request.into_inner();
        let call = async |diags: &mut Diagnostics| {
            let config = decode(request.config.as_ref())?;
            let found = self.provider.validate(&config);
            diags.errors.extend(found.errors);
            diags.warnings.extend(found.warnings);
            Ok(Some(()))
        };
        serve("ValidateProviderConfig", "", call, |_, diagnostics| {
            tf::validate_provider_config::Response { diagnostics }
        })
        .await
    }

    async fn validate_resource_config(
        &self,
        request: Request<tf::validate_resource_config::Request>,
    ) -> Result<Response<tf::validate_resource_config::Response>, Status> {
        let request = request.into_inner();
        let call = async |diags: &mut Diagnostics| {
            let resource = self.resource(&request.type_name)?;
            let [config] = decode_hiding(diags, resource.spec(), [request.config.as_ref()])?;
            let client = ClientCapabilities {
                write_only_attributes: request
                    .client_capabilities
                    .is_some_and(|c| c.write_only_attributes_allowed),
            };
            Ok(resource.validate(diags, config, client).await)
        };
        serve(
            "ValidateResourceConfig",
            &request.type_name,
            call,
            |_, diagnostics| tf::validate_resource_config::Response { diagnostics },
        )
        .await
    }

    async fn validate_data_resource_config(
        &self,
        request: Request<tf::validate_data_resource_config::Request>,
    ) -> Result<Response<tf::validate_data_resource_config::Response>, Status> {
        let request = request.into_inner();
        let call = async |diags: &mut Diagnostics| {
            let data_source = self.data_source(&request.type_name)?;
            let [config] = decode_hiding(diags, data_source.spec(), [request.config.as_ref()])?;
            Ok(data_source.validate(diags, config).await)
        };
        serve(
            "ValidateDataResourceConfig",
            &request.type_name,
            call,
            |_, diagnostics| tf::validate_data_resource_config::Response { diagnostics },
        )
        .await
    }

    async fn validate_list_resource_config(
        &self,
        request: Request<tf::validate_list_resource_config::Request>,
    ) -> Result<Response<tf::validate_list_resource_config::Response>, Status> {
        let request = request.into_inner();
        let call = async |diags: &mut Diagnostics| {
            let (list, _) = self.list_resource(&request.type_name)?;
            list.validate(diags, decode(request.config.as_ref())?);
            Ok(Some(()))
        };
        serve(
            "ValidateListResourceConfig",
            &request.type_name,
            call,
            |_, diagnostics| tf::validate_list_resource_config::Response { diagnostics },
        )
        .await
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<tf::upgrade_resource_state::Request>,
    ) -> Result<Response<tf::upgrade_resource_state::Response>, Status> {
        let request = request.into_inner();
        let call = async |diags: &mut Diagnostics| {
            let resource = self.resource(&request.type_name)?;
            let raw = request.raw_state.as_ref();
            // A community provider's state of the same type name (replace-provider).
            let foreign =
                raw.and_then(|r| migrate::upgrade(&request.type_name, request.version, &r.json));
            let stored = match foreign {
                Some(converted) => Dyn::Object(converted?),
                None => decode_raw_state(raw)?,
            };
            hide_secrets(diags, resource.spec(), [&stored]);
            Ok(resource.upgrade(diags, request.version, stored))
        };
        serve(
            "UpgradeResourceState",
            &request.type_name,
            call,
            |state, diagnostics| tf::upgrade_resource_state::Response {
                upgraded_state: state.map(|s| encode(&s)),
                diagnostics,
            },
        )
        .await
    }

    async fn upgrade_resource_identity(
        &self,
        request: Request<tf::upgrade_resource_identity::Request>,
    ) -> Result<Response<tf::upgrade_resource_identity::Response>, Status> {
        let request = request.into_inner();
        let call = async |diags: &mut Diagnostics| {
            let resource = self.resource(&request.type_name)?;
            let stored = decode_raw_state(request.raw_identity.as_ref())?;
            Ok(resource.upgrade_identity(diags, request.version, stored))
        };
        serve(
            "UpgradeResourceIdentity",
            &request.type_name,
            call,
            |identity, diagnostics| tf::upgrade_resource_identity::Response {
                upgraded_identity: identity.and_then(|i| encode_identity(&i)),
                diagnostics,
            },
        )
        .await
    }

    async fn move_resource_state(
        &self,
        request: Request<tf::move_resource_state::Request>,
    ) -> Result<Response<tf::move_resource_state::Response>, Status> {
        let request = request.into_inner();
        let call = async |diags: &mut Diagnostics| {
            let target = self.resource(&request.target_type_name)?;
            // A community provider's resource (see `crate::migrate`).
            let source = migrate::Source {
                provider: &request.source_provider_address,
                type_name: &request.source_type_name,
                version: request.source_schema_version,
            };
            let json = request.source_state.as_ref().map(|r| r.json.as_slice());
            if let Some(converted) =
                migrate::moved(&source, &request.target_type_name, json.unwrap_or_default())
            {
                let state = target.upgrade(diags, target.spec().version, Dyn::Object(converted?));
                return Ok(
                    state.map(|state| (migrate::identity_if_known(target.identity(&state)), state))
                );
            }
            // Otherwise only our own type under another provider address (a mirror
            // or a renamed source) moves: the state already has the target's shape.
            if request.source_type_name != request.target_type_name {
                return Err(OpError::new(format!(
                    "Unsupported move source: {} ({})",
                    request.source_type_name, request.source_provider_address
                ))
                .detail(format!(
                    "{} cannot be created from the state of another resource type; remove the moved block and import the object instead.",
                    request.target_type_name
                )));
            }
            let stored = decode_raw_state(request.source_state.as_ref())?;
            Ok(target
                .upgrade(diags, request.source_schema_version, stored)
                .map(|state| (target.identity(&state), state)))
        };
        serve(
            "MoveResourceState",
            &request.target_type_name,
            call,
            |moved, diagnostics| {
                let (identity, state) = moved.unzip();
                tf::move_resource_state::Response {
                    target_state: state.map(|s| encode(&s)),
                    diagnostics,
                    target_private: Vec::new(),
                    target_identity: identity.and_then(|i| encode_identity(&i)),
                }
            },
        )
        .await
    }

    async fn configure_provider(
        &self,
        request: Request<tf::configure_provider::Request>,
    ) -> Result<Response<tf::configure_provider::Response>, Status> {
        let request = request.into_inner();
        let call = async |diags: &mut Diagnostics| {
            let config = decode(request.config.as_ref())?;
            self.provider
                .configure(diags, &request.terraform_version, config)
                .await;
            Ok(Some(()))
        };
        serve("ConfigureProvider", "", call, |_, diagnostics| {
            tf::configure_provider::Response { diagnostics }
        })
        .await
    }

    async fn read_resource(
        &self,
        request: Request<tf::read_resource::Request>,
    ) -> Result<Response<tf::read_resource::Response>, Status> {
        let request = request.into_inner();
        let call = async |diags: &mut Diagnostics| {
            let resource = self.resource(&request.type_name)?;
            let [state] = decode_hiding(diags, resource.spec(), [request.current_state.as_ref()])?;
            if state.is_null() {
                return Ok(Some((Dyn::Null, Dyn::Null, Dyn::Null)));
            }
            let private = decode_private(&request.private);
            Ok(resource
                .read(diags, state, private)
                .await
                .map(|(state, private)| (resource.identity(&state), state, private)))
        };
        serve(
            "ReadResource",
            &request.type_name,
            call,
            |read, diagnostics| {
                let Some((identity, state, private)) = read else {
                    return tf::read_resource::Response {
                        diagnostics,
                        ..Default::default()
                    };
                };
                tf::read_resource::Response {
                    new_state: Some(encode(&state)),
                    private: encode_private(&private),
                    diagnostics,
                    new_identity: encode_identity(&identity),
                    ..Default::default()
                }
            },
        )
        .await
    }

    async fn plan_resource_change(
        &self,
        request: Request<tf::plan_resource_change::Request>,
    ) -> Result<Response<tf::plan_resource_change::Response>, Status> {
        let request = request.into_inner();
        let call = async |diags: &mut Diagnostics| {
            let resource = self.resource(&request.type_name)?;
            let values = [
                request.prior_state.as_ref(),
                request.proposed_new_state.as_ref(),
                request.config.as_ref(),
            ];
            let [prior, proposed, config] = decode_hiding(diags, resource.spec(), values)?;
            let private = decode_private(&request.prior_private);
            let prior_identity = resource.identity(&prior);
            Ok(if proposed.is_null() {
                // A destroy (plan_destroy): nothing to plan but its end.
                Some((Dyn::Null, private, Vec::new(), prior_identity))
            } else if prior.is_null() {
                resource
                    .plan_create(diags, proposed, config)
                    .await
                    .map(|(planned, private)| {
                        let identity = planned_identity(resource, &planned);
                        (planned, private, Vec::new(), identity)
                    })
            } else {
                resource
                    .plan_update(diags, prior, proposed, config, private)
                    .await
                    .map(|(planned, private, replace)| {
                        // Updated in place, the object keeps its identity (Terraform
                        // requires it known); a replacement gets the new one's.
                        let identity = if replace.is_empty() {
                            prior_identity
                        } else {
                            planned_identity(resource, &planned)
                        };
                        (planned, private, replace, identity)
                    })
            })
        };
        serve(
            "PlanResourceChange",
            &request.type_name,
            call,
            |plan, diagnostics| {
                let Some((planned, private, replace, identity)) = plan else {
                    return tf::plan_resource_change::Response {
                        diagnostics,
                        ..Default::default()
                    };
                };
                tf::plan_resource_change::Response {
                    planned_state: Some(encode(&planned)),
                    requires_replace: replace.iter().map(|n| attribute_name_path(n)).collect(),
                    planned_private: encode_private(&private),
                    diagnostics,
                    planned_identity: encode_identity(&identity),
                    ..Default::default()
                }
            },
        )
        .await
    }

    async fn apply_resource_change(
        &self,
        request: Request<tf::apply_resource_change::Request>,
    ) -> Result<Response<tf::apply_resource_change::Response>, Status> {
        let request = request.into_inner();
        let call = async |diags: &mut Diagnostics| {
            let resource = self.resource(&request.type_name)?;
            let values = [
                request.prior_state.as_ref(),
                request.planned_state.as_ref(),
                request.config.as_ref(),
            ];
            let [prior, planned, config] = decode_hiding(diags, resource.spec(), values)?;
            let private = decode_private(&request.planned_private);
            Ok(if planned.is_null() {
                match resource.destroy(diags, prior.clone()).await {
                    Some(()) => Some((Dyn::Null, Dyn::Null)),
                    // Not deleted: it stays in state as it was.
                    None => Some((prior, private)),
                }
            } else if prior.is_null() {
                resource.create(diags, planned, config, private).await
            } else {
                resource
                    .update(diags, prior, planned, config, private)
                    .await
            })
        };
        serve(
            "ApplyResourceChange",
            &request.type_name,
            call,
            |applied, diagnostics| {
                let identity = applied.as_ref().and_then(|(state, _)| {
                    encode_identity(&self.identity_of(&request.type_name, state))
                });
                let (state, private) = applied.unzip();
                tf::apply_resource_change::Response {
                    new_state: state.map(|s| encode(&s)),
                    private: private.map(|p| encode_private(&p)).unwrap_or_default(),
                    diagnostics,
                    new_identity: identity,
                    ..Default::default()
                }
            },
        )
        .await
    }

    async fn import_resource_state(
        &self,
        request: Request<tf::import_resource_state::Request>,
    ) -> Result<Response<tf::import_resource_state::Response>, Status> {
        let request = request.into_inner();
        let type_name = request.type_name;
        let call = async |diags: &mut Diagnostics| {
            let resource = self.resource(&type_name)?;
            let identity = decode_identity(request.identity.as_ref())?;
            // Terraform 1.12+ sends an identity instead of an ID for
            // `import { identity = {...} }`.
            Ok(if identity.is_null() {
                resource.import(diags, request.id).await
            } else {
                resource.import_identity(diags, identity).await
            })
        };
        serve(
            "ImportResourceState",
            &type_name,
            call,
            |imported, diagnostics| {
                let imported_resource =
                    |(state, private)| tf::import_resource_state::ImportedResource {
                        type_name: type_name.clone(),
                        state: Some(encode(&state)),
                        private: encode_private(&private),
                        identity: encode_identity(&self.identity_of(&type_name, &state)),
                    };
                tf::import_resource_state::Response {
                    imported_resources: imported.into_iter().map(imported_resource).collect(),
                    diagnostics,
                    deferred: None,
                }
            },
        )
        .await
    }

    async fn generate_resource_config(
        &self,
        request: Request<tf::generate_resource_config::Request>,
    ) -> Result<Response<tf::generate_resource_config::Response>, Status> {
        let request = request.into_inner();
        let call = async |_: &mut Diagnostics| {
            let resource = self.resource(&request.type_name)?;
            let state = decode(request.state.as_ref())?;
            Ok(Some(resource.generate_config(state).await))
        };
        serve(
            "GenerateResourceConfig",
            &request.type_name,
            call,
            |config, diagnostics| tf::generate_resource_config::Response {
                config: config.map(|c| encode(&c)),
                diagnostics,
            },
        )
        .await
    }

    async fn read_data_source(
        &self,
        request: Request<tf::read_data_source::Request>,
    ) -> Result<Response<tf::read_data_source::Response>, Status> {
        let request = request.into_inner();
        let call = async |diags: &mut Diagnostics| {
            let data_source = self.data_source(&request.type_name)?;
            let [config] = decode_hiding(diags, data_source.spec(), [request.config.as_ref()])?;
            Ok(data_source.read(diags, config).await)
        };
        serve(
            "ReadDataSource",
            &request.type_name,
            call,
            |state, diagnostics| tf::read_data_source::Response {
                state: state.map(|s| encode(&s)),
                diagnostics,
                deferred: None,
            },
        )
        .await
    }

    type ListResourceStream = EventStream<tf::list_resource::Event>;

    async fn list_resource(
        &self,
        request: Request<tf::list_resource::Request>,
    ) -> Result<Response<Self::ListResourceStream>, Status> {
        let request = request.into_inner();
        let limit = usize::try_from(request.limit).unwrap_or(0);
        let call = async |diags: &mut Diagnostics| {
            let (list, resource) = self.list_resource(&request.type_name)?;
            let config = decode(request.config.as_ref())?;
            Ok(list.list(diags, config, limit).await.map(|found| {
                found
                    .into_iter()
                    .map(|listed| listed_event(resource, listed, request.include_resource_object))
                    .collect::<Vec<_>>()
            }))
        };
        serve(
            "ListResource",
            &request.type_name,
            call,
            |events, diagnostics| {
                let mut events = events.unwrap_or_default();
                // Warnings and errors travel in an event of their own, after the objects
                // (an error ends the listing, so there are none before it).
                if !diagnostics.is_empty() {
                    events.push(tf::list_resource::Event {
                        diagnostic: diagnostics,
                        ..Default::default()
                    });
                }
                Box::pin(tokio_stream::iter(events.into_iter().map(Ok))) as Self::ListResourceStream
            },
        )
        .await
    }

    async fn call_function(
        &self,
        request: Request<tf::call_function::Request>,
    ) -> Result<Response<tf::call_function::Response>, Status> {
        let name = request.into_inner().name;
        // No functions: every call is a function error (which has no diagnostics).
        serve("CallFunction", &name, nothing_to_call, |_, _| {
            tf::call_function::Response {
                result: None,
                error: Some(tf::FunctionError {
                    text: format!("This provider has no function {name:?}"),
                    function_argument: None,
                }),
            }
        })
        .await
    }

    // Ephemeral resources (Terraform 1.10+): values for one run, never stored.
    // The private bytes carry what a close cleans up from open to renew and close.
    async fn validate_ephemeral_resource_config(
        &self,
        request: Request<tf::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<tf::validate_ephemeral_resource_config::Response>, Status> {
        let request = request.into_inner();
        let call = async |diags: &mut Diagnostics| {
            let ephemeral = self.ephemeral_resource(&request.type_name)?;
            let [config] = decode_hiding(diags, ephemeral.spec(), [request.config.as_ref()])?;
            ephemeral.validate(diags, config);
            Ok(Some(()))
        };
        serve(
            "ValidateEphemeralResourceConfig",
            &request.type_name,
            call,
            |_, diagnostics| tf::validate_ephemeral_resource_config::Response { diagnostics },
        )
        .await
    }

    async fn open_ephemeral_resource(
        &self,
        request: Request<tf::open_ephemeral_resource::Request>,
    ) -> Result<Response<tf::open_ephemeral_resource::Response>, Status> {
        let request = request.into_inner();
        let call = async |diags: &mut Diagnostics| {
            let ephemeral = self.ephemeral_resource(&request.type_name)?;
            let [config] = decode_hiding(diags, ephemeral.spec(), [request.config.as_ref()])?;
            Ok(ephemeral.open(diags, config).await)
        };
        serve(
            "OpenEphemeralResource",
            &request.type_name,
            call,
            |opened, diagnostics| {
                let Some((value, private, renew_at)) = opened else {
                    return tf::open_ephemeral_resource::Response {
                        diagnostics,
                        ..Default::default()
                    };
                };
                tf::open_ephemeral_resource::Response {
                    diagnostics,
                    renew_at: renew_at.map(prost_types::Timestamp::from),
                    result: Some(encode(&value)),
                    private: Some(encode_private(&private)),
                    deferred: None,
                }
            },
        )
        .await
    }

    async fn renew_ephemeral_resource(
        &self,
        request: Request<tf::renew_ephemeral_resource::Request>,
    ) -> Result<Response<tf::renew_ephemeral_resource::Response>, Status> {
        let request = request.into_inner();
        let call = async |diags: &mut Diagnostics| {
            let ephemeral = self.ephemeral_resource(&request.type_name)?;
            let private = decode_private(request.private.as_deref().unwrap_or_default());
            Ok(ephemeral.renew(diags, private).await)
        };
        serve(
            "RenewEphemeralResource",
            &request.type_name,
            call,
            |renewed, diagnostics| {
                let (renew_at, private) = renewed.unzip();
                tf::renew_ephemeral_resource::Response {
                    diagnostics,
                    renew_at: renew_at.flatten().map(prost_types::Timestamp::from),
                    private: private.map(|p| encode_private(&p)),
                }
            },
        )
        .await
    }

    async fn close_ephemeral_resource(
        &self,
        request: Request<tf::close_ephemeral_resource::Request>,
    ) -> Result<Response<tf::close_ephemeral_resource::Response>, Status> {
        let request = request.into_inner();
        let call = async |diags: &mut Diagnostics| {
            let ephemeral = self.ephemeral_resource(&request.type_name)?;
            let private = decode_private(request.private.as_deref().unwrap_or_default());
            ephemeral.close(diags, private).await;
            Ok(Some(()))
        };
        serve(
            "CloseEphemeralResource",
            &request.type_name,
            call,
            |_, diagnostics| tf::close_ephemeral_resource::Response { diagnostics },
        )
        .await
    }

    async fn validate_action_config(
        &self,
        request: Request<tf::validate_action_config::Request>,
    ) -> Result<Response<tf::validate_action_config::Response>, Status> {
        let request = request.into_inner();
        let call = async |diags: &mut Diagnostics| {
            let action = self.action(&request.type_name)?;
            action.validate(diags, decode(request.config.as_ref())?);
            Ok(Some(()))
        };
        serve(
            "ValidateActionConfig",
            &request.type_name,
            call,
            |_, diagnostics| tf::validate_action_config::Response { diagnostics },
        )
        .await
    }

    async fn plan_action(
        &self,
        request: Request<tf::plan_action::Request>,
    ) -> Result<Response<tf::plan_action::Response>, Status> {
        let request = request.into_inner();
        let call = async |diags: &mut Diagnostics| {
            let action = self.action(&request.action_type)?;
            action.plan(diags, decode(request.config.as_ref())?).await;
            Ok(Some(()))
        };
        serve(
            "PlanAction",
            &request.action_type,
            call,
            |_, diagnostics| tf::plan_action::Response {
                diagnostics,
                deferred: None,
            },
        )
        .await
    }

    type InvokeActionStream = EventStream<tf::invoke_action::Event>;

    /// Progress events as the action sends them, then one Completed with the
    /// diagnostics. The action runs on its own task (the same `serve` there);
    /// when Terraform stops reading the stream, its waits end (see
    /// `Progress::interrupted`).
    async fn invoke_action(
        &self,
        request: Request<tf::invoke_action::Request>,
    ) -> Result<Response<Self::InvokeActionStream>, Status> {
        use tf::invoke_action::event::{Completed, Progress as Message, Type};
        let request = request.into_inner();
        let (events, stream) = tokio::sync::mpsc::unbounded_channel();
        let found = self.action(&request.action_type);
        tokio::spawn(async move {
            let call = async |diags: &mut Diagnostics| {
                let action = found?;
                let config = decode(request.config.as_ref())?;
                let (progress, mut messages) = Progress::channel();
                let forward = events.clone();
                let relay = tokio::spawn(async move {
                    while let Some(message) = messages.recv().await {
                        let event = tf::invoke_action::Event {
                            r#type: Some(Type::Progress(Message { message })),
                        };
                        if forward.send(Ok(event)).is_err() {
                            break;
                        }
                    }
                });
                let watched = events.clone();
                tokio::select! {
                    () = action.invoke(diags, config, progress) => {}
                    // Terraform stopped reading: nobody is told anything more.
                    () = watched.closed() => {}
                }
                // Every progress message goes out before the completion.
                let _ = relay.await;
                Ok(Some(()))
            };
            let completed = |_, diagnostics| {
                let _ = events.send(Ok(tf::invoke_action::Event {
                    r#type: Some(Type::Completed(Completed { diagnostics })),
                }));
            };
            let _ = serve("InvokeAction", &request.action_type, call, completed).await;
        });
        Ok(Response::new(Box::pin(
            tokio_stream::wrappers::UnboundedReceiverStream::new(stream),
        )))
    }

    async fn stop_provider(
        &self,
        _request: Request<tf::stop_provider::Request>,
    ) -> Result<Response<tf::stop_provider::Response>, Status> {
        let call = async |_: &mut Diagnostics| {
            // Every wait in progress (retry back-offs, recovery lookups, deletes
            // waiting for a dependent) ends now; requests already sent are answered.
            self.provider.stop();
            Ok(Some(()))
        };
        serve("StopProvider", "", call, |_, _| {
            tf::stop_provider::Response {
                error: String::new(),
            }
        })
        .await
    }
}

#[cfg(test)]
#[path = "server_action_tests.rs"]
mod action_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::obj;
    use crate::IdcloudhostProvider;
    use tf::provider_server::Provider;

    pub(super) fn server() -> ProviderServer {
        ProviderServer::new("idcloudhost", IdcloudhostProvider::new())
    }

    pub(super) fn summaries(diagnostics: &[tf::Diagnostic]) -> Vec<&str> {
        diagnostics.iter().map(|d| d.summary.as_str()).collect()
    }

    /// The type names of one of the server's tables (hash maps), in order.
    pub(super) fn sorted<'a>(names: impl IntoIterator<Item = &'a String>) -> Vec<&'a str> {
        let mut names: Vec<&str> = names.into_iter().map(String::as_str).collect();
        names.sort();
        names
    }

    /// Fails (showing them) unless an answer has no diagnostics: what every
    /// test of a call that should succeed checks first.
    #[track_caller]
    pub(super) fn assert_clean(diagnostics: &[tf::Diagnostic]) {
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }

    #[tokio::test]
    async fn schema_declares_the_capabilities_and_every_type() {
        let response = server()
            .get_provider_schema(Request::new(Default::default()))
            .await
            .unwrap()
            .into_inner();
        let capabilities = response.server_capabilities.unwrap();
        assert!(capabilities.plan_destroy);
        assert!(capabilities.get_provider_schema_optional);
        assert!(capabilities.move_resource_state);
        assert!(capabilities.generate_resource_config);
        assert!(response.resource_schemas.contains_key("idcloudhost_vm"));
        assert!(response
            .resource_schemas
            .contains_key("idcloudhost_ssh_key"));
        assert!(response
            .data_source_schemas
            .contains_key("idcloudhost_locations"));
        let provider = response.provider.unwrap().block.unwrap();
        let api_key = provider
            .attributes
            .iter()
            .find(|a| a.name == "api_key")
            .unwrap();
        assert!(api_key.sensitive && api_key.optional);
    }

    #[tokio::test]
    async fn every_resource_type_has_a_list_resource_of_the_same_name() {
        let server = server();
        let response = server
            .get_provider_schema(Request::new(Default::default()))
            .await
            .unwrap()
            .into_inner();
        let resources = sorted(response.resource_schemas.keys());
        assert_eq!(sorted(response.list_resource_schemas.keys()), resources);
        let vm = response.list_resource_schemas["idcloudhost_vm"]
            .block
            .clone()
            .unwrap();
        let names: Vec<&str> = vm.attributes.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["location", "name_regex", "status"]);
        assert!(vm.attributes.iter().all(|a| a.optional && !a.computed));
        let metadata = server
            .get_metadata(Request::new(Default::default()))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(metadata.list_resources.len(), resources.len());
    }

    #[tokio::test]
    async fn bad_list_filters_are_errors_naming_the_attribute() {
        let validate = |config: Dyn| async move {
            server()
                .validate_list_resource_config(Request::new(
                    tf::validate_list_resource_config::Request {
                        type_name: "idcloudhost_vm".into(),
                        config: Some(encode(&config)),
                        ..Default::default()
                    },
                ))
                .await
                .unwrap()
                .into_inner()
                .diagnostics
        };
        let good = validate(Dyn::Object(
            obj! {"name_regex" => "^web-", "status" => "running"},
        ))
        .await;
        assert!(good.is_empty(), "{good:?}");
        for (attr, value) in [("name_regex", "web-("), ("status", "sleeping")] {
            let diagnostics = validate(Dyn::Object(obj! {attr => value})).await;
            assert_eq!(
                summaries(&diagnostics),
                [format!("Invalid value for {attr}")]
            );
            assert_eq!(
                diagnostics[0].attribute,
                Some(attribute_name_path(attr)),
                "{diagnostics:?}"
            );
        }
        let unknown = server()
            .validate_list_resource_config(Request::new(
                tf::validate_list_resource_config::Request {
                    type_name: "idcloudhost_nope".into(),
                    ..Default::default()
                },
            ))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(
            summaries(&unknown.diagnostics),
            ["This provider has no list resource type \"idcloudhost_nope\""]
        );
    }

    #[tokio::test]
    async fn destroy_plans_a_null_state_without_calling_the_api() {
        let prior = Dyn::Object(obj! {"id" => "k-1", "name" => "laptop"});
        let response = server()
            .plan_resource_change(Request::new(tf::plan_resource_change::Request {
                type_name: "idcloudhost_ssh_key".into(),
                prior_state: Some(encode(&prior)),
                proposed_new_state: Some(encode(&Dyn::Null)),
                config: Some(encode(&Dyn::Null)),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner();
        assert_clean(&response.diagnostics);
        assert_eq!(decode(response.planned_state.as_ref()).unwrap(), Dyn::Null);
    }

    #[tokio::test]
    async fn write_only_attributes_are_declared_and_need_a_terraform_that_allows_them() {
        let server = server();
        let vm = &server.resource_schemas["idcloudhost_vm"];
        let attribute = |name: &str| {
            vm.block
                .as_ref()
                .unwrap()
                .attributes
                .iter()
                .find(|a| a.name == name)
                .cloned()
                .unwrap()
        };
        let password_wo = attribute("password_wo");
        assert!(password_wo.write_only && password_wo.optional && !password_wo.computed);
        assert!(!attribute("password").write_only);
        assert!(!attribute("password_wo_version").write_only);

        let validate = |allowed: Option<bool>| {
            let config = Dyn::Object(obj! {
                "name" => "web", "os_name" => "ubuntu", "os_version" => "22.04-lts",
                "vcpu" => 1, "ram_mb" => 1024, "username" => "deploy",
                "password_wo" => "Secret123", "password_wo_version" => 1,
            });
            server.validate_resource_config(Request::new(tf::validate_resource_config::Request {
                type_name: "idcloudhost_vm".into(),
                config: Some(encode(&config)),
                client_capabilities: allowed.map(|allowed| tf::ClientCapabilities {
                    write_only_attributes_allowed: allowed,
                    ..Default::default()
                }),
            }))
        };
        let allowed = validate(Some(true)).await.unwrap().into_inner();
        assert_clean(&allowed.diagnostics);
        for older in [None, Some(false)] {
            let refused = validate(older).await.unwrap().into_inner();
            assert_eq!(
                summaries(&refused.diagnostics),
                ["password_wo needs Terraform 1.11 or later"]
            );
        }
    }

    #[tokio::test]
    async fn unknown_types_are_errors_not_crashes() {
        let response = server()
            .validate_resource_config(Request::new(tf::validate_resource_config::Request {
                type_name: "idcloudhost_nope".into(),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(
            summaries(&response.diagnostics),
            ["This provider has no resource type \"idcloudhost_nope\""]
        );
    }

    #[tokio::test]
    async fn stored_json_state_is_shaped_to_the_current_schema() {
        let response = server()
            .upgrade_resource_state(Request::new(tf::upgrade_resource_state::Request {
                type_name: "idcloudhost_ssh_key".into(),
                version: 0,
                raw_state: Some(tf::RawState {
                    json: br#"{"id":"k-1","name":"laptop","removed_attribute":1}"#.to_vec(),
                    flatmap: Default::default(),
                }),
            }))
            .await
            .unwrap()
            .into_inner();
        assert_clean(&response.diagnostics);
        let state = decode(response.upgraded_state.as_ref()).unwrap();
        assert_eq!(state.get("name"), &Dyn::str("laptop"));
        assert_eq!(state.get("fingerprint"), &Dyn::Null);
        assert!(state.as_obj().unwrap().contains_key("public_key"));
        assert!(!state.as_obj().unwrap().contains_key("removed_attribute"));

        let newer = server()
            .upgrade_resource_state(Request::new(tf::upgrade_resource_state::Request {
                type_name: "idcloudhost_ssh_key".into(),
                version: 7,
                raw_state: Some(tf::RawState {
                    json: br#"{"id":"k-1"}"#.to_vec(),
                    flatmap: Default::default(),
                }),
            }))
            .await
            .unwrap()
            .into_inner();
        assert!(newer.upgraded_state.is_none());
        assert!(newer.diagnostics[0].summary.contains("newer provider"));
    }

    #[tokio::test]
    async fn a_moved_state_comes_with_its_identity() {
        let response = server()
            .move_resource_state(Request::new(tf::move_resource_state::Request {
                source_provider_address: "registry.terraform.io/example/idcloudhost".into(),
                source_type_name: "idcloudhost_network".into(),
                target_type_name: "idcloudhost_network".into(),
                source_state: Some(tf::RawState {
                    json: br#"{"id":"n-1","location":"jkt02","name":"app"}"#.to_vec(),
                    flatmap: Default::default(),
                }),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner();
        assert_clean(&response.diagnostics);
        assert_eq!(
            decode_identity(response.target_identity.as_ref()).unwrap(),
            Dyn::Object(obj! {"id" => "n-1", "location" => "jkt02"})
        );
    }

    #[tokio::test]
    async fn moves_from_other_types_are_refused() {
        let response = server()
            .move_resource_state(Request::new(tf::move_resource_state::Request {
                source_provider_address: "registry.terraform.io/hashicorp/null".into(),
                source_type_name: "null_resource".into(),
                target_type_name: "idcloudhost_ssh_key".into(),
                source_state: Some(tf::RawState {
                    json: br#"{"id":"1"}"#.to_vec(),
                    flatmap: Default::default(),
                }),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner();
        assert!(response.target_state.is_none());
        assert!(
            response.diagnostics[0]
                .summary
                .starts_with("Unsupported move source"),
            "{:?}",
            response.diagnostics
        );
    }

    /// Every resource type's identity: attribute, required for import.
    const IDENTITIES: &[(&str, &[(&str, bool)])] = &[
        ("idcloudhost_bucket", &[("id", true)]),
        ("idcloudhost_disk", &[("id", true), ("location", false)]),
        (
            "idcloudhost_disk_attachment",
            &[("vm_uuid", true), ("disk_uuid", true), ("location", false)],
        ),
        ("idcloudhost_firewall", &[("id", true), ("location", false)]),
        (
            "idcloudhost_firewall_attachment",
            &[
                ("firewall_uuid", true),
                ("vm_uuid", true),
                ("location", false),
            ],
        ),
        (
            "idcloudhost_floating_ip",
            &[("id", true), ("location", false)],
        ),
        (
            "idcloudhost_floating_ip_assignment",
            &[("address", true), ("location", false)],
        ),
        (
            "idcloudhost_load_balancer",
            &[("id", true), ("location", false)],
        ),
        ("idcloudhost_network", &[("id", true), ("location", false)]),
        ("idcloudhost_s3_credential", &[("id", true)]),
        ("idcloudhost_service_package", &[("id", true)]),
        ("idcloudhost_ssh_key", &[("id", true)]),
        ("idcloudhost_vm", &[("id", true), ("location", false)]),
        (
            "idcloudhost_vm_snapshot",
            &[("vm_uuid", true), ("id", true), ("location", false)],
        ),
    ];

    #[tokio::test]
    async fn every_resource_declares_its_identity() {
        let server = server();
        let response = server
            .get_resource_identity_schemas(Request::new(Default::default()))
            .await
            .unwrap()
            .into_inner();
        let resources = sorted(server.resources.keys());
        assert_eq!(sorted(response.identity_schemas.keys()), resources);
        let expected: Vec<&str> = IDENTITIES.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            resources, expected,
            "a resource type without an expected identity"
        );
        for (type_name, attrs) in IDENTITIES {
            let schema = &response.identity_schemas[*type_name];
            assert_eq!(schema.version, 0);
            let got: Vec<(&str, bool)> = schema
                .identity_attributes
                .iter()
                .map(|a| (a.name.as_str(), a.required_for_import))
                .collect();
            assert_eq!(&got, attrs, "{type_name}");
            for attr in &schema.identity_attributes {
                assert_eq!(attr.r#type, br#""string""#, "{type_name}.{}", attr.name);
                assert_ne!(attr.required_for_import, attr.optional_for_import);
                assert!(!attr.description.is_empty(), "{type_name}.{}", attr.name);
            }
        }
    }

    /// A server configured against a fresh simulator (kept alive by the caller).
    pub(super) async fn configured(
        location: Option<&str>,
    ) -> (ProviderServer, idcloudhost_sim::Simulator) {
        let sim = idcloudhost_sim::Simulator::start(Default::default()).unwrap();
        let server = server();
        let config = Dyn::Object(obj! {
            "api_key" => "sim-key",
            "api_url" => sim.url(),
            "location" => Dyn::opt_str(location),
        });
        let response = server
            .configure_provider(Request::new(tf::configure_provider::Request {
                config: Some(encode(&config)),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner();
        assert_clean(&response.diagnostics);
        (server, sim)
    }

    async fn import_by_identity(
        server: &ProviderServer,
        type_name: &str,
        identity: Dyn,
    ) -> tf::import_resource_state::Response {
        server
            .import_resource_state(Request::new(tf::import_resource_state::Request {
                type_name: type_name.into(),
                identity: encode_identity(&identity),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner()
    }

    fn imported(response: &tf::import_resource_state::Response) -> (Dyn, Dyn) {
        assert_clean(&response.diagnostics);
        let resource = &response.imported_resources[0];
        (
            decode(resource.state.as_ref()).unwrap(),
            decode_identity(resource.identity.as_ref()).unwrap(),
        )
    }

    #[tokio::test]
    async fn imports_from_an_identity_with_and_without_location() {
        let (server, _sim) = configured(None).await;
        let given = obj! { "vm_uuid" => "vm-1", "id" => "r-1", "location" => "jkt02" };
        let response = import_by_identity(
            &server,
            "idcloudhost_vm_snapshot",
            Dyn::Object(given.clone()),
        )
        .await;
        let (state, identity) = imported(&response);
        assert_eq!(identity, Dyn::Object(given));
        assert_eq!(state.get("vm_uuid"), &Dyn::str("vm-1"));
        assert_eq!(state.get("location"), &Dyn::str("jkt02"));

        // No location: the account's default location.
        let response = import_by_identity(
            &server,
            "idcloudhost_network",
            Dyn::Object(obj! { "id" => "n-1", "location" => Dyn::Null }),
        )
        .await;
        let (state, identity) = imported(&response);
        assert_eq!(state.get("id"), &Dyn::str("n-1"));
        let default = state.get("location").as_str().unwrap().to_owned();
        assert_eq!(
            identity,
            Dyn::Object(obj! { "id" => "n-1", "location" => default.clone() })
        );

        // No location, the provider's location set: that one.
        let other = if default == "jkt02" { "jkt01" } else { "jkt02" };
        let (server, _sim) = configured(Some(other)).await;
        let response = import_by_identity(
            &server,
            "idcloudhost_network",
            Dyn::Object(obj! { "id" => "n-1" }),
        )
        .await;
        let (_, identity) = imported(&response);
        assert_eq!(identity.get("location"), &Dyn::str(other));
    }

    #[tokio::test]
    async fn a_wrong_identity_is_a_clear_error() {
        let (server, _sim) = configured(None).await;
        let response = import_by_identity(
            &server,
            "idcloudhost_disk_attachment",
            Dyn::Object(obj! { "vm_uuid" => "vm-1", "disk_uuid" => Dyn::Null }),
        )
        .await;
        assert!(response.imported_resources.is_empty());
        assert_eq!(
            summaries(&response.diagnostics),
            ["Invalid import identity for idcloudhost_disk_attachment"]
        );
        assert!(response.diagnostics[0]
            .detail
            .contains("\"disk_uuid\" is required"));

        let response = import_by_identity(
            &server,
            "idcloudhost_network",
            Dyn::Object(obj! { "id" => "n-1", "location" => "mars01" }),
        )
        .await;
        assert!(response.imported_resources.is_empty());
        assert!(
            response.diagnostics[0]
                .summary
                .contains("Unknown location \"mars01\""),
            "{:?}",
            response.diagnostics
        );
    }

    #[tokio::test]
    async fn a_destroy_plans_the_prior_identity() {
        let server = server();
        let plan = |prior: Dyn| {
            let request = tf::plan_resource_change::Request {
                type_name: "idcloudhost_ssh_key".into(),
                prior_state: Some(encode(&prior)),
                proposed_new_state: Some(encode(&Dyn::Null)),
                config: Some(encode(&Dyn::Null)),
                ..Default::default()
            };
            server.plan_resource_change(Request::new(request))
        };
        // A destroy plans the prior identity.
        let prior = Dyn::Object(obj! {"id" => "k-1", "name" => "laptop"});
        let response = plan(prior).await.unwrap().into_inner();
        assert_eq!(
            decode_identity(response.planned_identity.as_ref()).unwrap(),
            Dyn::Object(obj! {"id" => "k-1"})
        );
    }

    #[tokio::test]
    async fn stored_identities_are_upgraded_to_the_current_schema() {
        let response = server()
            .upgrade_resource_identity(Request::new(tf::upgrade_resource_identity::Request {
                type_name: "idcloudhost_vm".into(),
                version: 0,
                raw_identity: Some(tf::RawState {
                    json: br#"{"id":"vm-1"}"#.to_vec(),
                    flatmap: Default::default(),
                }),
            }))
            .await
            .unwrap()
            .into_inner();
        assert_clean(&response.diagnostics);
        assert_eq!(
            decode_identity(response.upgraded_identity.as_ref()).unwrap(),
            Dyn::Object(obj! {"id" => "vm-1", "location" => Dyn::Null})
        );
    }

    #[tokio::test]
    async fn generated_configuration_leaves_out_computed_values() {
        let state = Dyn::Object(obj! {
            "id" => "k-1",
            "name" => "laptop",
            "public_key" => "ssh-ed25519 AAAA",
            "fingerprint" => "SHA256:x",
            "created_at" => "2026-01-01T00:00:00Z",
        });
        let response = server()
            .generate_resource_config(Request::new(tf::generate_resource_config::Request {
                type_name: "idcloudhost_ssh_key".into(),
                state: Some(encode(&state)),
            }))
            .await
            .unwrap()
            .into_inner();
        let config = decode(response.config.as_ref()).unwrap();
        assert_eq!(config.get("name"), &Dyn::str("laptop"));
        assert_eq!(config.get("public_key"), &Dyn::str("ssh-ed25519 AAAA"));
        assert_eq!(config.get("id"), &Dyn::Null);
        assert_eq!(config.get("fingerprint"), &Dyn::Null);
    }
}
