//! Data sources: a schema, optional cross-attribute checks, and a read that
//! takes the configuration as the data source's own state struct and returns it
//! filled in (see `framework::typed`). The adapter converts from and to
//! Terraform's values here, in one place.

use std::sync::Arc;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::error::{Diagnostics, OpError};
use super::platform::{Platform, Shared};
use super::resource::{report, report_errors, with_warnings};
use super::schema::{SchemaSpec, Ty};
pub(crate) use super::typed::sample;
use super::typed::{from_state, state_fields_match, to_state};
use super::value::{Dyn, Obj};

/// The configuration's problems, as the data-source, list, ephemeral and action
/// adapters check it: every attribute validator of `spec`, then the type's own
/// cross-attribute checks.
pub(crate) fn config_errors(spec: &SchemaSpec, config: &Obj, own: Vec<OpError>) -> Vec<OpError> {
    let mut errors = spec.check_attrs(config);
    errors.extend(own);
    errors
}

/// Where a data-source read, a list, an ephemeral open and a resource's plans
/// start: the configuration's problems reported, then the configured provider's
/// data (with no `errors`, just that); `None` after an error diagnostic.
pub(crate) fn checked_context<P>(
    diags: &mut Diagnostics,
    errors: Vec<OpError>,
    shared: &Shared<P>,
) -> Option<Arc<P>> {
    if !errors.is_empty() {
        report_errors(diags, &errors);
        return None;
    }
    match shared.get() {
        Ok(ctx) => Some(ctx),
        Err(e) => {
            report(diags, &e);
            None
        }
    }
}

#[async_trait]
pub trait DataSourceType: Send + Sync + 'static {
    /// The platform the data source runs on (`framework::Platform`): what `read`
    /// gets as its context.
    type Platform: Platform;

    /// Type name without the provider prefix.
    const NAME: &'static str;

    /// The data source's object as a struct (see `framework::typed`): one field
    /// per attribute of the schema, arguments and results alike, so a name cannot
    /// be misspelt; `state_matches_schema` (the unit test over every registered
    /// data source) checks the names.
    type State: Serialize + DeserializeOwned + Send + Sync + 'static;

    fn schema(&self) -> SchemaSpec;

    /// Cross-attribute checks on the configuration. Values may still be unknown,
    /// which a state struct cannot tell from null, hence the dynamic object.
    fn validate(&self, _config: &Obj) -> Vec<OpError> {
        Vec::new()
    }

    /// Takes the configuration (its arguments set, the results `None`) and
    /// returns the whole object: the arguments plus the results.
    async fn read(&self, ctx: &Self::Platform, config: Self::State)
        -> Result<Self::State, OpError>;

    /// `Err` naming the differences when `State` is not the schema's shape: by
    /// default, when its field names are not exactly the schema's attribute and
    /// block names, or a value with every field set (`sample`) has other names
    /// than the schema's at any depth (the objects in a list attribute).
    fn state_matches_schema(&self) -> Result<(), String> {
        let spec = self.schema();
        state_fields_match::<Self::State>(&spec)?;
        serializes_to_schema(&spec, &sample::<Self::State>()?)
    }
}

pub struct DataSourceAdapter<D: DataSourceType> {
    data_source: Arc<D>,
    shared: Shared<D::Platform>,
    spec: SchemaSpec,
}

impl<D: DataSourceType> DataSourceAdapter<D> {
    pub fn new(data_source: D, shared: Shared<D::Platform>) -> Self {
        let spec = data_source.schema();
        DataSourceAdapter {
            data_source: Arc::new(data_source),
            shared,
            spec,
        }
    }

    fn check(&self, config: &Obj) -> Vec<OpError> {
        config_errors(&self.spec, config, self.data_source.validate(config))
    }

    /// The typed read between Terraform's values: the configuration shaped to
    /// the schema into `D::State`, the read, and its result back, checked
    /// against the schema (in debug builds: tests and end-to-end runs).
    async fn typed_read(&self, ctx: &D::Platform, config: Obj) -> Result<Obj, OpError> {
        let config = from_state::<D::State>(&self.spec.normalize(config))?;
        let state = to_state(&self.data_source.read(ctx, config).await?);
        if cfg!(debug_assertions) {
            let mismatches = shape_mismatches(&self.spec, &state);
            if !mismatches.is_empty() {
                return Err(OpError::new(format!(
                    "The state of data source {} does not match its schema: {}",
                    D::NAME,
                    mismatches.join("; ")
                ))
                .detail("This is a bug in the provider; please report it."));
            }
        }
        Ok(self.spec.normalize(state))
    }
}

/// `Err` naming the differences when `value` does not serialize to the schema's
/// names (see `shape_mismatches`).
pub(crate) fn serializes_to_schema<T: Serialize>(
    spec: &SchemaSpec,
    value: &T,
) -> Result<(), String> {
    mismatches_of::<T>(shape_mismatches(spec, &to_state(value)))
}

/// `Err` naming `T` and its `mismatches` with its schema, unless there are none.
pub(crate) fn mismatches_of<T>(mismatches: Vec<String>) -> Result<(), String> {
    if mismatches.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}: {}",
            std::any::type_name::<T>(),
            mismatches.join("; ")
        ))
    }
}

/// Where `state` and `spec` disagree on names, nested objects included: the
/// attributes, blocks and object fields one has and the other lacks.
pub(crate) fn shape_mismatches(spec: &SchemaSpec, state: &Obj) -> Vec<String> {
    let mut out = Vec::new();
    let names: Vec<(&str, Ty)> = spec
        .attrs
        .iter()
        .map(|a| (a.name, a.ty.clone()))
        .chain(spec.blocks.iter().map(|b| (b.name, Ty::list(b.item_ty()))))
        .collect();
    object_mismatches("", &names, state, &mut out);
    out
}

fn object_mismatches(at: &str, fields: &[(&str, Ty)], value: &Obj, out: &mut Vec<String>) {
    for key in value.keys() {
        if !fields.iter().any(|(name, _)| name == key) {
            out.push(format!("{at}{key} is not in the schema"));
        }
    }
    for (name, ty) in fields {
        match value.get(*name) {
            None => out.push(format!("{at}{name} is missing")),
            Some(v) => value_mismatches(&format!("{at}{name}"), ty, v, out),
        }
    }
}

fn value_mismatches(at: &str, ty: &Ty, value: &Dyn, out: &mut Vec<String>) {
    match (ty, value) {
        (Ty::List(inner) | Ty::Set(inner), Dyn::List(items)) => {
            for item in items {
                value_mismatches(&format!("{at}[]"), inner, item, out);
            }
        }
        (Ty::Map(inner), Dyn::Object(map)) => {
            for item in map.values() {
                value_mismatches(&format!("{at}{{}}"), inner, item, out);
            }
        }
        (Ty::Object(fields), Dyn::Object(map)) => {
            let fields: Vec<(&str, Ty)> = fields.iter().map(|(n, t)| (*n, t.clone())).collect();
            object_mismatches(&format!("{at}."), &fields, map, out);
        }
        _ => {}
    }
}

/// A data source type as the protocol server sees it.
#[async_trait]
pub trait DynamicDataSource: Send + Sync {
    fn spec(&self) -> &SchemaSpec;

    async fn validate(&self, diags: &mut Diagnostics, config: Dyn) -> Option<()>;

    async fn read(&self, diags: &mut Diagnostics, config: Dyn) -> Option<Dyn>;

    /// See `DataSourceType::state_matches_schema`.
    fn state_matches_schema(&self) -> Result<(), String>;
}

#[async_trait]
impl<D: DataSourceType> DynamicDataSource for DataSourceAdapter<D> {
    fn spec(&self) -> &SchemaSpec {
        &self.spec
    }

    async fn validate(&self, diags: &mut Diagnostics, config: Dyn) -> Option<()> {
        let config = config.into_obj();
        report_errors(diags, &self.check(&config));
        Some(())
    }

    async fn read(&self, diags: &mut Diagnostics, config: Dyn) -> Option<Dyn> {
        let config = config.into_obj();
        let ctx = checked_context(diags, self.check(&config), &self.shared)?;
        match with_warnings(diags, self.typed_read(&ctx, config)).await {
            Ok(state) => Some(Dyn::Object(state)),
            Err(e) => {
                report(
                    diags,
                    &e.context(&format!("Reading data source {}", D::NAME)),
                );
                None
            }
        }
    }

    fn state_matches_schema(&self) -> Result<(), String> {
        self.data_source.state_matches_schema()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::Attr;
    use crate::obj;

    #[test]
    fn results_are_checked_against_the_schema_at_every_depth() {
        let spec = SchemaSpec::new("t")
            .attr(Attr::computed("id", Ty::String))
            .attr(Attr::computed(
                "items",
                Ty::list(Ty::Object(vec![("name", Ty::String)])),
            ));
        let item =
            |key: &str| Dyn::Object(std::iter::once((key.to_owned(), Dyn::str("a"))).collect());
        let right = obj! {"id" => "x", "items" => vec![item("name")]};
        assert!(shape_mismatches(&spec, &right).is_empty());
        let misspelt = obj! {"id" => "x", "items" => vec![item("nmae")]};
        assert_eq!(
            shape_mismatches(&spec, &misspelt),
            [
                "items[].nmae is not in the schema",
                "items[].name is missing"
            ]
        );
        assert_eq!(
            shape_mismatches(&spec, &obj! {"id" => "x"}),
            ["items is missing"]
        );
    }

    #[test]
    fn a_sample_sets_every_field_at_every_depth() {
        #[derive(serde::Serialize, serde::Deserialize)]
        struct Item {
            name: String,
            port: Option<i64>,
        }
        #[derive(serde::Serialize, serde::Deserialize)]
        struct State {
            id: Option<String>,
            items: Option<Vec<Item>>,
        }
        let state = to_state(&sample::<State>().unwrap());
        let items = state["items"].as_list();
        assert_eq!(items.len(), 1);
        let item = items[0].as_obj().unwrap();
        assert!(
            !item["name"].is_null() && !item["port"].is_null(),
            "{item:?}"
        );
    }
}
