//! Declarative schemas: each attribute says what Terraform needs (type, required,
//! computed, sensitive) and how it plans (forces replacement, keeps its prior value
//! when unknown, default, validators). The plan logic in `resource/plan.rs` reads these
//! declarations, so resource files never repeat it.

use std::any::Any;
use std::sync::Arc;

use super::error::OpError;
use super::nested::Semantic;
use super::validate::Validator;
use super::value::{Dyn, Obj};

/// An attribute's Terraform type.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    String,
    Number,
    Bool,
    List(Box<Ty>),
    Set(Box<Ty>),
    Map(Box<Ty>),
    Object(Vec<(&'static str, Ty)>),
}

impl Ty {
    /// An ordered list of `inner` values.
    pub fn list(inner: Ty) -> Ty {
        Ty::List(Box::new(inner))
    }
    /// An unordered set of `inner` values (Terraform compares it as a set).
    pub fn set(inner: Ty) -> Ty {
        Ty::Set(Box::new(inner))
    }
    /// A map of string keys to `inner` values.
    pub fn map(inner: Ty) -> Ty {
        Ty::Map(Box::new(inner))
    }

    /// Shapes `value` to this type: objects get every field (null when missing).
    pub fn normalize(&self, value: Dyn) -> Dyn {
        match (self, value) {
            (_, Dyn::Unknown) => Dyn::Unknown,
            (_, Dyn::Null) => Dyn::Null,
            // msgpack's decimal string of a number that is not exactly a float64.
            (Ty::Number, Dyn::String(text)) => match text.trim().parse::<f64>() {
                Ok(n) => Dyn::Number(n),
                Err(_) => Dyn::String(text),
            },
            (Ty::List(inner) | Ty::Set(inner), Dyn::List(items)) => {
                Dyn::List(items.into_iter().map(|v| inner.normalize(v)).collect())
            }
            (Ty::Map(inner), Dyn::Object(map)) => Dyn::Object(
                map.into_iter()
                    .map(|(k, v)| (k, inner.normalize(v)))
                    .collect(),
            ),
            (Ty::Object(fields), Dyn::Object(mut map)) => Dyn::Object(
                fields
                    .iter()
                    .map(|(name, ty)| {
                        let v = map.remove(*name).unwrap_or_default();
                        (name.to_string(), ty.normalize(v))
                    })
                    .collect(),
            ),
            (_, other) => other,
        }
    }
}

/// Who sets an attribute: the configuration, the provider or both (see the
/// `Attr` constructors).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Required,
    Optional,
    Computed,
    OptionalComputed,
}

/// What a change of a configured value does to the object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnChange {
    /// Updated in place.
    Update,
    /// A change destroys and re-creates the resource.
    Replace,
    /// Only used when the object is created (a source, an image, cloud-init):
    /// a later change never replaces it. A new value (known or not) keeps the
    /// prior one, with a warning; a value set or removed is only recorded. The
    /// user rebuilds the object from a new value with `terraform apply -replace`.
    CreateOnly,
}

/// One attribute of a schema, declared with a constructor (`required`,
/// `optional`, `computed`, `optional_computed`) and builder methods:
///
/// ```ignore
/// Attr::required("vcpu", Ty::Number)
///     .desc("Number of virtual CPUs...")
///     .validate(Validator::IntRange(1, 1024))
/// Attr::computed("mac", Ty::String).desc("MAC address.").stable()
/// ```
///
/// The framework's plan engine (`resource/plan.rs`), the documentation generator and
/// the lookup data sources read these declarations; a resource never repeats them.
#[derive(Clone)]
pub struct Attr {
    pub name: &'static str,
    pub ty: Ty,
    pub mode: Mode,
    pub sensitive: bool,
    pub description: String,
    pub on_change: OnChange,
    /// Computed value that no in-place update changes: keep the prior value in plans
    /// instead of showing "(known after apply)".
    pub stable: bool,
    /// Used when the configuration leaves the attribute null.
    pub default: Option<Dyn>,
    pub validators: Vec<Validator>,
    /// Not read back: the API never returns it (passwords, cloud-init), so reads keep
    /// the prior value, and after an import (null) setting it does not force
    /// replacement. Stored in state, unlike Terraform's write-only attributes.
    pub not_read_back: bool,
    /// Terraform's write-only attribute (Terraform 1.11+): taken from the
    /// configuration at apply, never in a plan or the state.
    pub write_only: Option<WriteOnly>,
    /// Only some deployments of the platform (brands) have what this attribute does.
    pub only_on: Option<OnlyOn>,
    /// The description where the attribute is only read (a lookup data source
    /// exports it), instead of the lookups' words in `data_sources/lookup_words.rs`.
    pub read_description: Option<String>,
    /// Deprecated, with what to use instead: Terraform warns where it is set
    /// (1.15+ shows this message).
    pub deprecated: Option<String>,
    /// What makes two values the same value beyond their spelling, in a declared
    /// nested block (`framework::nested`).
    pub semantic: Option<Semantic>,
    /// In a declared nested block: null means the value of this sibling attribute.
    pub default_from: Option<&'static str>,
}

/// How a write-only attribute is applied. Terraform keeps no trace of its value,
/// so a change shows only through its version attribute: a create sends the
/// value, an update sends it only when the version changed.
#[derive(Clone, Copy, Debug)]
pub struct WriteOnly {
    /// The stored attribute (`*_wo_version`) whose change sends the value again.
    pub version: &'static str,
    /// The stored attribute that does the same on Terraform before 1.11 (in the
    /// state); the two conflict.
    pub instead_of: Option<&'static str>,
}

/// The first Terraform that sends write-only values without storing them.
pub const WRITE_ONLY_TERRAFORM: &str = "1.11";

/// An attribute value that needs what some deployments of the platform lack
/// (its `Platform::Feature`: an API feature some brands lack). The platform
/// refuses it before any request (`Platform::check_available`), naming the
/// attribute, the brand and the brands that have it.
#[derive(Clone)]
pub struct OnlyOn {
    /// The platform's feature, which the framework only carries.
    feature: Arc<dyn Any + Send + Sync>,
    /// Whether a configured (known) value uses the feature.
    pub uses: fn(&Dyn) -> bool,
}

impl OnlyOn {
    /// The feature, as the platform's own type (`None` for another type).
    pub fn feature<F: Copy + 'static>(&self) -> Option<F> {
        self.feature.downcast_ref::<F>().copied()
    }

    /// Whether configuring `value` needs the feature: known, not null, and in use.
    pub fn needed_by(&self, value: &Dyn) -> bool {
        !value.is_null() && *value != Dyn::Unknown && (self.uses)(value)
    }
}

/// A value that does something: not false, not an empty list or string.
fn in_use(value: &Dyn) -> bool {
    match value {
        Dyn::Bool(b) => *b,
        Dyn::List(items) => !items.is_empty(),
        Dyn::String(s) => !s.is_empty(),
        _ => true,
    }
}

impl Attr {
    fn new(name: &'static str, ty: Ty, mode: Mode) -> Self {
        Attr {
            name,
            ty,
            mode,
            sensitive: false,
            description: String::new(),
            on_change: OnChange::Update,
            stable: false,
            default: None,
            validators: Vec::new(),
            not_read_back: false,
            write_only: None,
            only_on: None,
            read_description: None,
            deprecated: None,
            semantic: None,
            default_from: None,
        }
    }
    /// An attribute the configuration must set.
    pub fn required(name: &'static str, ty: Ty) -> Self {
        Self::new(name, ty, Mode::Required)
    }
    /// An attribute the configuration may set; null when it does not (no
    /// value of the API's is kept: see `optional_computed` for that).
    pub fn optional(name: &'static str, ty: Ty) -> Self {
        Self::new(name, ty, Mode::Optional)
    }
    /// An attribute only the provider sets (from the API's answer); a plan shows
    /// it "(known after apply)" unless it is `stable`.
    pub fn computed(name: &'static str, ty: Ty) -> Self {
        Self::new(name, ty, Mode::Computed)
    }
    /// An attribute the configuration may set and the API fills in when it
    /// does not (a location, a billing account): unset, it keeps the API's value.
    pub fn optional_computed(name: &'static str, ty: Ty) -> Self {
        Self::new(name, ty, Mode::OptionalComputed)
    }
    /// What the attribute is, as the documentation and `terraform providers
    /// schema` show it (the forced-replacement or create-only note is added by
    /// `full_description`, never written here).
    pub fn desc(mut self, text: impl Into<String>) -> Self {
        self.description = text.into();
        self
    }
    /// What the attribute says where it is only read (a lookup data source
    /// exports it), written next to its `desc`; an exported attribute without
    /// one needs its words in `data_sources/lookup_words.rs`.
    pub fn read_desc(mut self, text: impl Into<String>) -> Self {
        self.read_description = Some(text.into());
        self
    }
    /// Terraform hides the value in plans and output, and the provider hides it
    /// from every diagnostic (`Diagnostics::hide`). It is still stored in state:
    /// see `write_only` for a value that is not.
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
    /// Deprecates the attribute; `message` says what to use instead.
    pub fn deprecated(mut self, message: impl Into<String>) -> Self {
        self.deprecated = Some(message.into());
        self
    }
    /// A change of the configured value destroys and re-creates the object
    /// (Terraform's `requires_replace`); the description says so.
    pub fn force_new(mut self) -> Self {
        self.on_change = OnChange::Replace;
        self
    }
    /// Used only at creation: see `OnChange::CreateOnly`.
    pub fn create_only(mut self) -> Self {
        self.on_change = OnChange::CreateOnly;
        self
    }
    /// Whether the attribute is `create_only`.
    pub fn is_create_only(&self) -> bool {
        self.on_change == OnChange::CreateOnly
    }
    /// A computed value that no in-place update changes (an ID, a creation
    /// time, a MAC address): plans keep the prior value instead of "(known after
    /// apply)". A replacement still plans it unknown.
    pub fn stable(mut self) -> Self {
        self.stable = true;
        self
    }
    /// A default makes the attribute optional and computed, so state always holds it.
    pub fn default(mut self, value: impl Into<Dyn>) -> Self {
        self.default = Some(value.into());
        self.mode = Mode::OptionalComputed;
        self
    }
    /// The API never returns the value (a password, cloud-init): reads keep the
    /// prior value, and after an import (null) setting it does not force a
    /// replacement. It is stored in state, unlike a `write_only` one.
    pub fn not_read_back(mut self) -> Self {
        self.not_read_back = true;
        self
    }
    /// Makes the attribute write-only, applied when `version` changes; see
    /// `WriteOnly`. Not also marked sensitive: Terraform never shows or stores a
    /// write-only value anyway, and a new sensitive attribute would make Terraform
    /// plan an update of every existing object just to record the marking.
    pub fn write_only(mut self, version: &'static str) -> Self {
        self.write_only = Some(WriteOnly {
            version,
            instead_of: None,
        });
        self
    }
    /// The stored attribute this write-only one replaces on Terraform 1.11+.
    pub fn instead_of(mut self, stored: &'static str) -> Self {
        let write_only = self
            .write_only
            .as_mut()
            .expect("instead_of follows write_only");
        write_only.instead_of = Some(stored);
        self
    }
    /// Checks a known configured value at validation (before any API call);
    /// a failure is an error naming the attribute. Several may be chained.
    pub fn validate(mut self, validator: Validator) -> Self {
        self.validators.push(validator);
        self
    }
    /// Setting the attribute (to anything but null, false or empty) needs
    /// `feature`, the platform's (`Platform::Feature`).
    pub fn only_on<F: Copy + Send + Sync + 'static>(self, feature: F) -> Self {
        self.only_on_when(feature, in_use)
    }
    /// Values for which `uses` is true need `feature`, the platform's
    /// (`Platform::Feature`).
    pub fn only_on_when<F: Copy + Send + Sync + 'static>(
        mut self,
        feature: F,
        uses: fn(&Dyn) -> bool,
    ) -> Self {
        self.only_on = Some(OnlyOn {
            feature: Arc::new(feature),
            uses,
        });
        self
    }

    /// In a nested block with an identity (`BlockSpec::identity`), what makes two
    /// values the same value beyond their spelling (`Semantic::Cidr`: `10.0.0.1`
    /// is `10.0.0.1/32`): an element the API reports with the same meaning keeps
    /// the configuration's spelling in state, and only a real difference is drift.
    /// Terraform still sees the attribute's own type (`ty`).
    pub fn semantic(mut self, semantic: Semantic) -> Self {
        self.semantic = Some(semantic);
        self
    }
    /// In a nested block with an identity: when the configuration leaves it
    /// null, the value of sibling attribute `sibling` (`port_end` of
    /// `port_start`). Planned so, compared so; makes it optional and computed.
    pub fn default_from(mut self, sibling: &'static str) -> Self {
        self.default_from = Some(sibling);
        self.mode = Mode::OptionalComputed;
        self
    }

    /// Whether the provider may set the value (computed, or optional and computed).
    pub fn is_computed(&self) -> bool {
        matches!(self.mode, Mode::Computed | Mode::OptionalComputed)
    }

    /// Whether the configuration may set the value (anything but computed).
    pub fn is_configurable(&self) -> bool {
        !matches!(self.mode, Mode::Computed)
    }

    /// The description Terraform shows: the attribute's own, plus what a change
    /// does when it forces replacement.
    pub fn full_description(&self) -> String {
        let mut description = self.description.clone();
        if self.on_change == OnChange::Replace && self.is_configurable() {
            description.push_str(" Changing this forces a new resource.");
        }
        if self.on_change == OnChange::CreateOnly && self.is_configurable() {
            description.push_str(CREATE_ONLY_NOTE);
        }
        description.trim().to_owned()
    }
}

/// What the description of a create-only attribute says about changes.
pub const CREATE_ONLY_NOTE: &str = " Only used when the resource is created: a later change (for example a source deleted and created again) never replaces the resource; the plan keeps the value it was created with and warns. To rebuild it from a new value, run `terraform apply -replace=ADDRESS`.";

/// The version attribute of write-only attribute `of` (`password_wo_version` of
/// `password_wo`): stored, never sent, and its change sends `of` again (in place,
/// or by replacement with `force_new`).
pub fn write_only_version(name: &'static str, of: &'static str) -> Attr {
    Attr::optional(name, Ty::Number)
        .desc(format!(
            "Version of `{of}`. Terraform stores no write-only value and so cannot see it change: change this number (e.g. increment it) to send `{of}` again. Not sent to the API."
        ))
        .not_read_back()
}

/// How a nested block repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nesting {
    /// Repeated block, ordered.
    List,
    /// Repeated block, unordered.
    Set,
    /// At most one block (e.g. `timeouts`).
    Optional,
}

/// A nested block of attributes (`rule { ... }`, `timeouts { ... }`).
#[derive(Clone)]
pub struct BlockSpec {
    pub name: &'static str,
    pub nesting: Nesting,
    pub description: String,
    pub attrs: Vec<Attr>,
    pub on_change: OnChange,
    /// Blocks that only configure the provider's behaviour (timeouts) never trigger an
    /// API update by themselves.
    pub meta: bool,
    /// Deprecated, with what to use instead (see `Attr::deprecated`).
    pub deprecated: Option<String>,
    /// The attributes that say which element an element is (`identity`); empty
    /// for a block the framework does not match.
    pub identity: Vec<&'static str>,
    /// The canonical form of an element where its meaning spans attributes
    /// (`meaning`).
    pub meaning: Option<fn(&mut Obj)>,
}

impl BlockSpec {
    /// A nested block `name` of these attributes, repeated as `nesting` says;
    /// updated in place unless `force_new`.
    pub fn new(name: &'static str, nesting: Nesting, attrs: Vec<Attr>) -> Self {
        BlockSpec {
            name,
            nesting,
            description: String::new(),
            attrs,
            on_change: OnChange::Update,
            meta: false,
            deprecated: None,
            identity: Vec::new(),
            meaning: None,
        }
    }
    /// Deprecates the block; `message` says what to use instead.
    pub fn deprecated(mut self, message: impl Into<String>) -> Self {
        self.deprecated = Some(message.into());
        self
    }
    /// What the block is, as the documentation shows it.
    pub fn desc(mut self, text: impl Into<String>) -> Self {
        self.description = text.into();
        self
    }
    /// A change of any of the block's values re-creates the object.
    pub fn force_new(mut self) -> Self {
        self.on_change = OnChange::Replace;
        self
    }

    /// Declares the block's elements matched by the framework
    /// (`framework::nested`): `attrs` say which element an element is (a rule's
    /// source port, a target's uuid), the attributes' `semantic`, `default` and
    /// `default_from` what each value means. The plan engine plans the block from
    /// the configuration (defaults, computed values of unchanged elements), and
    /// reads and applies keep the configuration's spelling of every element the
    /// API reports with the same meaning.
    pub fn identity(mut self, attrs: &[&'static str]) -> Self {
        self.identity = attrs.to_vec();
        self
    }
    /// The canonical form of an element (after defaults and semantics), for a
    /// meaning that spans attributes (ICMP has no ports: ports are dropped).
    pub fn meaning(mut self, canonical: fn(&mut Obj)) -> Self {
        self.meaning = Some(canonical);
        self
    }
    /// Whether the framework matches the block's elements (`identity`).
    pub fn is_declared(&self) -> bool {
        !self.identity.is_empty()
    }

    /// Object type of one block instance.
    pub fn item_ty(&self) -> Ty {
        Ty::Object(self.attrs.iter().map(|a| (a.name, a.ty.clone())).collect())
    }

    /// Type of the block's value as a whole: a set of its instances' objects for
    /// a set block, else a list (a single nested block is a list of at most
    /// one). The plan engine compares a block's values as this type, and the
    /// lookups export a block as a computed attribute of it.
    pub fn value_ty(&self) -> Ty {
        match self.nesting {
            Nesting::Set => Ty::set(self.item_ty()),
            Nesting::List | Nesting::Optional => Ty::list(self.item_ty()),
        }
    }
}

/// The `timeouts` block shared by every resource with long-running calls.
pub fn timeouts_block(operations: &[&'static str]) -> BlockSpec {
    let attrs = operations
        .iter()
        .map(|op| {
            Attr::optional(op, Ty::String)
                .desc(format!(
                    "How long the {op} may take, as a duration like `30s`, `10m` or `1h`."
                ))
                .validate(Validator::Duration)
        })
        .collect();
    let mut block = BlockSpec::new("timeouts", Nesting::Optional, attrs)
        .desc("Deadlines for the long-running operations.");
    block.meta = true;
    block
}

/// The schema of one type (resource, data source, list resource, action,
/// ephemeral resource or the provider): its description, attributes and blocks,
/// built with `SchemaSpec::new(...).attr(...).block(...)`.
#[derive(Clone)]
pub struct SchemaSpec {
    pub version: i64,
    pub description: String,
    pub attrs: Vec<Attr>,
    pub blocks: Vec<BlockSpec>,
}

impl SchemaSpec {
    /// The string values of the sensitive and write-only attributes of an object of
    /// this schema (a configuration, plan or state), its blocks' included: what no
    /// diagnostic may show (`Diagnostics::hide`).
    pub fn secret_values(&self, value: &Dyn) -> Vec<String> {
        let mut found = Vec::new();
        secrets_of(&self.attrs, value, &mut found);
        if let Dyn::Object(obj) = value {
            for block in &self.blocks {
                if let Some(Dyn::List(items)) = obj.get(block.name) {
                    for item in items {
                        secrets_of(&block.attrs, item, &mut found);
                    }
                }
            }
        }
        found
    }

    /// Every top-level attribute validator run on `config` (unset attributes as
    /// null), each failure naming its attribute.
    pub fn check_attrs(&self, config: &Obj) -> Vec<OpError> {
        self.attrs
            .iter()
            .flat_map(|attr| {
                let value = config.get(attr.name).cloned().unwrap_or_default();
                attr.validators
                    .iter()
                    .filter_map(move |v| v.check(&value).err())
                    .map(move |message| OpError::invalid(attr.name, message))
            })
            .collect()
    }

    /// A schema at version 0 with this description (the type's description in
    /// the documentation) and no attributes yet.
    pub fn new(description: impl Into<String>) -> Self {
        SchemaSpec {
            version: 0,
            description: description.into(),
            attrs: Vec::new(),
            blocks: Vec::new(),
        }
    }
    /// The schema version Terraform stores with each state (0 unless raised).
    pub fn with_version(mut self, version: i64) -> Self {
        self.version = version;
        self
    }
    /// Adds one top-level attribute (the order is the documentation's).
    pub fn attr(mut self, attr: Attr) -> Self {
        self.attrs.push(attr);
        self
    }
    /// Adds these top-level attributes, in order (shared sets of attributes).
    pub fn attrs(mut self, attrs: impl IntoIterator<Item = Attr>) -> Self {
        self.attrs.extend(attrs);
        self
    }
    /// Adds a nested block (`timeouts_block`, firewall rules...).
    pub fn block(mut self, block: BlockSpec) -> Self {
        self.blocks.push(block);
        self
    }

    /// The top-level attribute `name`, if the schema has one.
    pub fn attr_spec(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }

    /// Shapes an object to the schema: every attribute present (null when missing),
    /// write-only attributes null, every block a list (empty when missing),
    /// nothing extra. Terraform rejects anything else.
    pub fn normalize(&self, mut obj: Obj) -> Obj {
        let mut out = Obj::new();
        for attr in &self.attrs {
            let value = match obj.remove(attr.name) {
                Some(_) if attr.write_only.is_some() => Dyn::Null,
                value => value.unwrap_or_default(),
            };
            out.insert(attr.name.to_string(), attr.ty.normalize(value));
        }
        for block in &self.blocks {
            let item_ty = block.item_ty();
            let items = match obj.remove(block.name) {
                Some(Dyn::List(items)) => items
                    .into_iter()
                    .map(|item| item_ty.normalize(item))
                    .collect(),
                Some(Dyn::Object(single)) => vec![item_ty.normalize(Dyn::Object(single))],
                _ => Vec::new(),
            };
            out.insert(block.name.to_string(), Dyn::List(items));
        }
        out
    }
}

fn secrets_of(attrs: &[Attr], value: &Dyn, found: &mut Vec<String>) {
    let Dyn::Object(obj) = value else {
        return;
    };
    for attr in attrs
        .iter()
        .filter(|a| a.sensitive || a.write_only.is_some())
    {
        if let Some(v) = obj.get(attr.name) {
            strings_in(v, found);
        }
    }
}

fn strings_in(value: &Dyn, found: &mut Vec<String>) {
    match value {
        Dyn::String(s) => found.push(s.clone()),
        Dyn::List(items) => items.iter().for_each(|i| strings_in(i, found)),
        Dyn::Object(obj) => obj.values().for_each(|v| strings_in(v, found)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::obj;

    #[test]
    fn normalize_fills_missing_attributes_and_blocks() {
        let spec = SchemaSpec::new("t")
            .attr(Attr::required("name", Ty::String))
            .attr(Attr::computed("id", Ty::String))
            .attr(Attr::computed(
                "items",
                Ty::list(Ty::Object(vec![("a", Ty::String), ("b", Ty::Number)])),
            ))
            .block(timeouts_block(&["create"]));
        let out = spec.normalize(obj! {
            "name" => "x",
            "extra" => "dropped",
            "items" => vec![Dyn::Object(obj! {"a" => "1"})],
        });
        assert_eq!(out.get("id"), Some(&Dyn::Null));
        assert_eq!(out.get("extra"), None);
        assert_eq!(out.get("timeouts"), Some(&Dyn::List(vec![])));
        assert_eq!(
            out["items"].as_list()[0],
            Dyn::Object(obj! {"a" => "1", "b" => Dyn::Null})
        );
    }

    #[test]
    fn default_makes_attribute_optional_computed() {
        let attr = Attr::optional("backup", Ty::Bool).default(false);
        assert_eq!(attr.mode, Mode::OptionalComputed);
        assert_eq!(attr.default, Some(Dyn::Bool(false)));
    }
}
