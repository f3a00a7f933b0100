//! Lookup data sources, written once for every resource type: a singular one
//! (`idcloudhost_vm`) that finds exactly one object by `id` or `name`, and a plural
//! one (`idcloudhost_vms`) that lists them, filtered and sorted by name.
//!
//! Both are built from the resource's own schema (its attributes, secrets and
//! values the API never reports left out) and its own import and read mappings,
//! so a lookup exports exactly what the resource would hold after an import. The
//! candidates come from the API's list calls, which the client shares within one
//! provider process: any number of lookups cost a few list calls per location.
//!
//! Typed like every data source: a singular lookup's state is the resource's own
//! state struct (`Found`), a plural one's a `Listing` of them; both export the
//! struct's fields the lookups export (`exported_names`) and nothing else, and
//! their field names are checked against their schemas like any data source's.

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use crate::framework::DynamicDataSource;
use async_trait::async_trait;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::ser::{self, SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::lookup_words;
use crate::api;
use crate::context::{ProviderData, Shared};
use crate::framework::data_source::{sample, serializes_to_schema};
use crate::framework::resource::LOCATION;
use crate::framework::typed::state_fields;
use crate::framework::{
    from_state, Attr, BlockSpec, DataSourceType, Dyn, Managed, Mode, Obj, OpError, ResourceType,
    SchemaSpec, Ty, Validator,
};
use crate::resources;
use crate::resources::floating_ip::{FloatingIpAssignmentState, FloatingIpState};
use crate::resources::load_balancer::LoadBalancerState;
use crate::resources::network::NetworkState;
use crate::resources::vm::VmState;

/// The typed state of a kind's resource.
pub type State<K> = <<K as ListKind>::Resource as ResourceType>::State;

/// The argument of plural data sources and list resources that filters by name.
pub const NAME_REGEX: &str = "name_regex";

/// One object of a type, as the API's list calls show it: its id (the import ID
/// without the location) and the name a person knows it by.
pub struct Candidate {
    pub id: String,
    pub name: String,
}

/// A filter of plural data sources and list resources on a field of the
/// resource's state `S`.
pub struct Filter<S> {
    pub name: &'static str,
    pub ty: Ty,
    pub description: &'static str,
    /// Checks of a configured value (a typo is a plan-time error naming it).
    pub validators: Vec<Validator>,
    /// Whether the object's state passes the configured value.
    pub keeps: fn(&S, &Dyn) -> bool,
}

/// How every object of a resource type is found from the shared list calls:
/// what lookups and list resources (`terraform query`) are built on.
#[async_trait]
pub trait ListKind: Send + Sync + 'static {
    /// The resource whose schema, identity and `import_and_read` the kind uses.
    type Resource: ResourceType<Platform = ProviderData> + Default;
    /// Human name for messages (`VM`).
    const NOUN: &'static str;

    fn resource() -> Self::Resource {
        Self::Resource::default()
    }

    fn filters() -> Vec<Filter<State<Self>>> {
        Vec::new()
    }

    /// Every object of the type (in `location` for location-scoped types), from
    /// the shared list calls.
    async fn candidates(ctx: &ProviderData, location: &str) -> Result<Vec<Candidate>, OpError>;

    /// The objects a list resource offers for adoption: by default all of them.
    async fn adoptable(ctx: &ProviderData, location: &str) -> Result<Vec<Candidate>, OpError> {
        Self::candidates(ctx, location).await
    }

    /// An address that tells the object apart, for display names (its public or
    /// private address); `None` when the name and location say enough.
    fn address(_state: &State<Self>) -> Option<String> {
        None
    }

    /// What `name_regex` matches when it is not simply the object's name.
    const NAME_IS: &'static str = "";
}

/// What a resource type needs for its pair of lookup data sources besides its
/// `ListKind`: the singular one is named as the resource type (`vm`).
pub trait LookupKind: ListKind {
    /// Plural data source name, also the name of its list attribute (`vms`).
    const PLURAL: &'static str;
}

/// The `id`, `name` and `location` of a resource's state: what a singular
/// lookup looks for, and the id a plural one lists.
pub struct Wanted {
    pub id: Option<String>,
    pub name: Option<String>,
    pub location: Option<String>,
}

/// The `Wanted` of a resource's state. Every looked-up resource has `id` and
/// `name` attributes (and `location` when it is location-scoped), which a
/// singular lookup takes as its arguments of those names; they are read by
/// those names, once for every kind (a null or unknown value is not given).
fn wanted<K: ListKind>(state: &State<K>) -> Wanted {
    let fields = crate::framework::to_state(state);
    let text = |name: &str| fields.get(name).and_then(Dyn::as_str).map(str::to_owned);
    Wanted {
        id: text("id"),
        name: text("name"),
        location: text(LOCATION),
    }
}

/// Whether a lookup exports a resource attribute: secrets, write-only values and
/// values never read back stay out.
fn is_exported(attr: &Attr) -> bool {
    !attr.sensitive && !attr.not_read_back && attr.write_only.is_none()
}

/// A part of a resource's schema that its lookups export: an attribute, or a
/// block (exported as a computed attribute).
enum Exported<'a> {
    Attr(&'a Attr),
    Block(&'a BlockSpec),
}

impl Exported<'_> {
    fn name(&self) -> &'static str {
        match self {
            Exported::Attr(attr) => attr.name,
            Exported::Block(block) => block.name,
        }
    }
}

/// What the lookups export of a resource's schema, in their order: the
/// attributes but secrets, write-only values and values never read back, then
/// the blocks but meta ones (`timeouts`). The schema (`exported_attrs`), the
/// states' names (`exported_names`) and the written words' test all walk this.
fn exported(spec: &SchemaSpec) -> impl Iterator<Item = Exported<'_>> {
    let attrs = spec.attrs.iter().filter(|a| is_exported(a));
    let blocks = spec.blocks.iter().filter(|b| !b.meta);
    attrs.map(Exported::Attr).chain(blocks.map(Exported::Block))
}

/// The names of the resource's attributes and blocks a lookup exports, in the
/// order of `exported_attrs`.
fn exported_names(spec: &SchemaSpec) -> Vec<&'static str> {
    exported(spec).map(|part| part.name()).collect()
}

/// The resource's attributes as a data source exports them: everything but
/// secrets, write-only values and values never read back, non-meta blocks as computed lists of objects.
/// Each says what the lookups' words say (`read_desc`, else `lookup_words`).
fn exported_attrs(resource: &str, spec: &SchemaSpec) -> Vec<Attr> {
    // Never the resource's own prose, which tells how to configure: without
    // written words (which a unit test prevents), nothing.
    let words = |name: &str, read_desc: Option<&String>| {
        read_desc
            .cloned()
            .or_else(|| lookup_words::written(resource, name).map(str::to_owned))
            .unwrap_or_default()
    };
    exported(spec)
        .map(|part| match part {
            Exported::Attr(a) => {
                let description = words(a.name, a.read_description.as_ref());
                let mut out = Attr::computed(a.name, a.ty.clone()).desc(description);
                out.sensitive = false;
                out
            }
            Exported::Block(block) => {
                let description = words(block.name, None);
                Attr::computed(block.name, block.value_ty()).desc(description)
            }
        })
        .collect()
}

/// Phrases that tell how to set an attribute or how a change of it is planned:
/// nothing a lookup, which only reads, does. The lookups' written words are
/// checked against them (and these rules once drafted those words from the
/// resources' descriptions; their tests stay below).
#[cfg(test)]
const CONFIGURING: &[&str] = &[
    "in place",
    "plan time",
    "plan-time",
    "required",
    "defaults to",
    "default:",
    "when unset",
    "leave unset",
    "leave it unset",
    "not sent",
    "forces",
    "must be",
];

#[cfg(test)]
fn is_configuring(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.trim() == "default" || CONFIGURING.iter().any(|p| lower.contains(p))
}

/// Splits `text` at each of `separators` found outside parentheses and code
/// spans (and not after `e.g`/`i.e`): `(separator before, piece)` pairs.
#[cfg(test)]
fn split_top<'a>(text: &'a str, separators: &[&'a str]) -> Vec<(&'a str, &'a str)> {
    let mut pieces = Vec::new();
    let (mut depth, mut code, mut start, mut before) = (0i32, false, 0, "");
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let c = rest.chars().next().unwrap_or(' ');
        match c {
            '`' => code = !code,
            '(' if !code => depth += 1,
            ')' if !code => depth -= 1,
            _ => {}
        }
        let at_top = depth == 0 && !code;
        let abbreviation = text[..i].ends_with("e.g") || text[..i].ends_with("i.e");
        if let Some(sep) = separators
            .iter()
            .find(|s| at_top && !abbreviation && rest.starts_with(**s))
        {
            pieces.push((before, &text[start..i]));
            before = sep;
            i += sep.len();
            start = i;
            continue;
        }
        i += c.len_utf8();
    }
    pieces.push((before, &text[start..]));
    pieces
}

/// Leaves out the parenthesised remarks (outside code spans) that are about
/// configuring.
#[cfg(test)]
fn without_configuring_remarks(text: &str) -> String {
    let mut out = String::new();
    let mut code = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '`' {
            code = !code;
        }
        if c != '(' || code {
            out.push(c);
            continue;
        }
        // The matching parenthesis, skipping code spans.
        let (mut depth, mut inner_code, mut end) = (0, false, text.len());
        for (j, d) in text[i..].char_indices() {
            match d {
                '`' => inner_code = !inner_code,
                '(' if !inner_code => depth += 1,
                ')' if !inner_code => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + j;
                        break;
                    }
                }
                _ => {}
            }
        }
        let group = &text[i..(end + 1).min(text.len())];
        if is_configuring(&group[1..group.len().saturating_sub(1)]) {
            while out.ends_with(' ') {
                out.pop();
            }
        } else {
            out.push_str(group);
        }
        while chars.peek().is_some_and(|(k, _)| *k <= end) {
            chars.next();
        }
    }
    out
}

/// A resource attribute's description as a lookup, which only reads it, exports
/// it: the sentences, clauses (after `;` or `,`, with the rest of their
/// sentence) and parenthesised remarks that tell how to set the attribute or how
/// its changes are planned are left out.
/// Not used to describe anything any more: the lookups' words are written
/// (`lookup_words`). Kept with its tests: the written words are checked with
/// its `is_configuring`.
#[cfg(test)]
pub(crate) fn read_only_description(text: &str) -> String {
    let text = without_configuring_remarks(text.trim());
    let sentences: Vec<String> = split_top(text.trim_end_matches('.'), &[". "])
        .into_iter()
        .filter_map(|(_, sentence)| {
            // What follows a configuring clause continues it.
            let kept: String = split_top(sentence, &["; ", ", "])
                .into_iter()
                .take_while(|(_, clause)| !is_configuring(clause))
                .map(|(sep, clause)| format!("{sep}{clause}"))
                .collect();
            Some(kept).filter(|kept| !kept.trim().is_empty())
        })
        .collect();
    if sentences.is_empty() {
        return String::new();
    }
    format!("{}.", sentences.join(". ").trim_end_matches(':'))
}

fn object_ty(attrs: &[Attr]) -> Ty {
    Ty::Object(attrs.iter().map(|a| (a.name, a.ty.clone())).collect())
}

/// Whether the objects of `K` live in one location each: its lookups and list
/// resource take a `location`, and its import IDs start with it. The
/// resource's identity already says so (`ResourceType::IDENTITY`: whether
/// `location` completes it), so the kinds do not say it again.
pub fn located<K: ListKind>() -> bool {
    K::Resource::IDENTITY
        .resolve(K::Resource::NAME, &K::resource().schema())
        .attrs
        .iter()
        .any(|attr| attr.name == LOCATION)
}

pub fn location_arg(noun: &str) -> Attr {
    super::location_argument(&format!("Location slug to look for the {noun} in"))
}

/// The location to look in: the `configured` one, else the provider's default
/// (`""` for types that are not location-scoped).
pub async fn lookup_location<K: ListKind>(
    ctx: &ProviderData,
    configured: Option<&str>,
) -> Result<String, OpError> {
    // The brand must have the resource type (as the resource itself requires).
    if let Some(feature) = <K::Resource as ResourceType>::FEATURE {
        ctx.client.require(feature)?;
    }
    if located::<K>() {
        ctx.resolve_location(configured).await
    } else {
        Ok(String::new())
    }
}

/// The import ID of a candidate: its id, after the location for location-scoped types.
pub fn import_id<K: ListKind>(location: &str, id: &str) -> String {
    if located::<K>() {
        format!("{location}/{id}")
    } else {
        id.to_owned()
    }
}

/// One object a plural lookup or a list resource shows: its candidate and the
/// state the resource holds after importing it, as Terraform's values and as
/// the resource's state struct.
pub struct Shown<K: ListKind> {
    pub candidate: Candidate,
    pub state: Obj,
    pub typed: State<K>,
}

/// What plural lookups and list resources show of `candidates`, written once
/// for both: the ones whose name matches `name_regex` (sorted by name, then id),
/// each with the state `terraform import` of it would leave after its refresh
/// (`Managed::import_and_read`: the resource's own import and read mappings;
/// one gone between the list and the read is left out), that pass the filters
/// the configuration sets (`filters`, keyed by the kind's filter names); at
/// most `limit` of them.
pub async fn shown<K: ListKind>(
    resource: &Managed<K::Resource>,
    ctx: &ProviderData,
    location: &str,
    candidates: Vec<Candidate>,
    name_regex: Option<&str>,
    filters: &Obj,
    limit: usize,
) -> Result<Vec<Shown<K>>, OpError> {
    let kind_filters = K::filters();
    let mut found = Vec::new();
    for candidate in named(candidates, name_regex)? {
        if found.len() >= limit {
            break;
        }
        let id = import_id::<K>(location, &candidate.id);
        // Gone between the list and the read: not there any more.
        let Some(state) = resource.import_and_read(ctx, &id).await? else {
            continue;
        };
        let typed: State<K> = from_state(&state)?;
        if passes(&kind_filters, filters, &typed) {
            found.push(Shown {
                candidate,
                state,
                typed,
            });
        }
    }
    Ok(found)
}

/// The fields of a resource state a lookup exports (`names`), as a JSON object.
fn exported_json<T: Serialize>(
    names: &[&str],
    state: &T,
) -> Result<serde_json::Map<String, Value>, String> {
    match serde_json::to_value(state) {
        Ok(Value::Object(mut fields)) => Ok(names
            .iter()
            .map(|name| {
                (
                    name.to_string(),
                    fields.remove(*name).unwrap_or(Value::Null),
                )
            })
            .collect()),
        Ok(other) => Err(format!(
            "a state struct serializes to an object, not {other}"
        )),
        Err(e) => Err(e.to_string()),
    }
}

/// `Err` naming the differences when the fields of `K`'s state, without the
/// ones lookups leave out (secrets, values never read back, `timeouts`), are not
/// exactly `names`: the exported attributes of a lookup's schema.
fn exported_fields_match<K: ListKind>(names: &[&str]) -> Result<(), String> {
    let spec = K::resource().schema();
    let exported = exported_names(&spec);
    let left_out: Vec<&str> = spec
        .attrs
        .iter()
        .map(|a| a.name)
        .chain(spec.blocks.iter().map(|b| b.name))
        .filter(|name| !exported.contains(name))
        .collect();
    let kept: Vec<&str> = state_fields::<State<K>>()
        .iter()
        .copied()
        .filter(|f| !left_out.contains(f))
        .collect();
    let missing: Vec<&&str> = names.iter().filter(|n| !kept.contains(n)).collect();
    let extra: Vec<&&str> = kept.iter().filter(|f| !names.contains(f)).collect();
    if missing.is_empty() && extra.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{}: exported names missing from the struct: {missing:?}; struct fields not exported: {extra:?}",
        std::any::type_name::<State<K>>()
    ))
}

fn where_(location: &str) -> String {
    if location.is_empty() {
        String::new()
    } else {
        format!(" in location {location:?}")
    }
}

/// The names of the objects a lookup found none of, sorted, for its error: an
/// unnamed object by its id, never as a blank.
fn listed_names(candidates: &[Candidate]) -> Vec<String> {
    let mut names: Vec<String> = candidates
        .iter()
        .map(|c| match c.name.trim() {
            "" => format!("(unnamed, id {})", c.id),
            name => name.to_owned(),
        })
        .collect();
    names.sort_unstable();
    names
}

// ------------------------------------------------------------------ singular

/// The singular lookup of `K`, with the resource it reads through.
pub struct Single<K: ListKind>(Managed<K::Resource>);

impl<K: ListKind> Single<K> {
    pub fn new(shared: &Shared) -> Self {
        Single(Managed::new(K::resource(), shared.clone()))
    }
}

/// A singular lookup's state: the resource's own state struct (from its import
/// and read mappings), exported without what lookups leave out.
pub struct Found<K: ListKind>(pub State<K>);

impl<K: LookupKind> Serialize for Found<K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let names = exported_names(&K::resource().schema());
        exported_json(&names, &self.0)
            .map_err(ser::Error::custom)?
            .serialize(serializer)
    }
}

impl<'de, K: LookupKind> Deserialize<'de> for Found<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let fields = state_fields::<State<K>>();
        let map = deserializer.deserialize_struct("Found", fields, JsonFields)?;
        // A configuration holds null for the blocks the lookup exports as
        // computed attributes, which the struct holds as lists: absent, they
        // read as empty (state structs are `#[serde(default)]`).
        let set = map
            .into_iter()
            .filter(|(_, value)| !value.is_null())
            .collect();
        State::<K>::deserialize(Value::Object(set))
            .map(Found)
            .map_err(de::Error::custom)
    }
}

/// The fields of a struct-shaped value as a JSON object, for the lookups'
/// states, whose shape depends on the kind.
struct JsonFields;

impl<'de> Visitor<'de> for JsonFields {
    type Value = serde_json::Map<String, Value>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a lookup's object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            out.insert(key, value);
        }
        Ok(out)
    }
}

#[async_trait]
impl<K: LookupKind> DataSourceType for Single<K> {
    type Platform = ProviderData;
    const NAME: &'static str = K::Resource::NAME;
    type State = Found<K>;

    fn schema(&self) -> SchemaSpec {
        let spec = K::resource().schema();
        let noun = K::NOUN;
        let mut attrs = exported_attrs(K::Resource::NAME, &spec);
        for attr in &mut attrs {
            match attr.name {
                "id" => {
                    attr.mode = Mode::OptionalComputed;
                    attr.description = format!(
                        "Id of the {noun} to find; give `id`, `name` or both. {}",
                        attr.description
                    );
                }
                "name" => {
                    attr.mode = Mode::OptionalComputed;
                    attr.description = format!("Exact name of the {noun} to find; an error when no {noun} or several have it.");
                }
                LOCATION if located::<K>() => *attr = location_arg(noun),
                _ => {}
            }
        }
        SchemaSpec::new(format!(
            "Finds one existing {noun} by `id` or `name` and exports the attributes of `idcloudhost_{}` (secrets excepted).",
            K::Resource::NAME
        ))
        .attrs(attrs)
    }

    fn validate(&self, config: &Obj) -> Vec<OpError> {
        let given = |name: &str| config.get(name).is_some_and(|v| !v.is_null());
        if given("id") || given("name") {
            return Vec::new();
        }
        vec![OpError::new(format!("No {} to look for", K::NOUN))
            .detail(format!(
                "Set `id` or `name` of data source idcloudhost_{}.",
                K::Resource::NAME
            ))
            .at("name")]
    }

    async fn read(&self, ctx: &ProviderData, config: Found<K>) -> Result<Found<K>, OpError> {
        let wanted = wanted::<K>(&config.0);
        let location = lookup_location::<K>(ctx, wanted.location.as_deref()).await?;
        let (wanted_id, wanted_name) = (wanted.id.as_deref(), wanted.name.as_deref());
        let candidates = K::candidates(ctx, &location).await?;
        let matches: Vec<&Candidate> = candidates
            .iter()
            .filter(|c| wanted_id.is_none_or(|id| c.id.eq_ignore_ascii_case(id)))
            .filter(|c| wanted_name.is_none_or(|name| c.name == name))
            .collect();
        let noun = K::NOUN;
        let wanted = match (wanted_id, wanted_name) {
            (Some(id), Some(name)) => format!("with id {id:?} and name {name:?}"),
            (Some(id), None) => format!("with id {id:?}"),
            (None, Some(name)) => format!("named {name:?}"),
            (None, None) => unreachable!("validate requires id or name"),
        };
        let found = match matches.as_slice() {
            [one] => *one,
            [] => {
                let names = listed_names(&candidates);
                let existing = if names.is_empty() {
                    format!("There is no {noun}{} at all.", where_(&location))
                } else {
                    format!("The names there: {}.", names.join(", "))
                };
                return Err(
                    OpError::new(format!("No {noun} {wanted}{}", where_(&location)))
                        .detail(existing),
                );
            }
            several => {
                let listed: Vec<String> = several
                    .iter()
                    .map(|c| format!("{} ({})", c.id, c.name))
                    .collect();
                return Err(OpError::new(format!(
                    "{} {noun}s are {wanted}{}",
                    several.len(),
                    where_(&location)
                ))
                .detail(format!(
                    "Candidates: {}. Look the one you mean up by `id`.",
                    listed.join(", ")
                )));
            }
        };
        let id = import_id::<K>(&location, &found.id);
        let state = self.0.import_and_read(ctx, &id).await?.ok_or_else(|| {
            OpError::new(format!(
                "The {noun} {} disappeared while being read",
                found.id
            ))
        })?;
        Ok(Found(from_state(&state)?))
    }

    /// The resource's state struct, without what lookups leave out, is the schema.
    fn state_matches_schema(&self) -> Result<(), String> {
        let spec = self.schema();
        let names: Vec<&str> = spec.attrs.iter().map(|a| a.name).collect();
        exported_fields_match::<K>(&names)?;
        serializes_to_schema(&spec, &Found::<K>(sample()?))
    }
}

// -------------------------------------------------------------------- plural

/// The plural lookup of `K`, with the resource it reads through.
pub struct Plural<K: ListKind>(Managed<K::Resource>);

impl<K: ListKind> Plural<K> {
    pub fn new(shared: &Shared) -> Self {
        Plural(Managed::new(K::resource(), shared.clone()))
    }
}

/// A configured filter value as JSON (filters are strings or booleans).
fn filter_json(value: &Dyn) -> Value {
    match value {
        Dyn::Bool(b) => Value::Bool(*b),
        Dyn::String(s) => Value::String(s.clone()),
        Dyn::Number(n) => serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number),
        _ => Value::Null,
    }
}

/// A filter value read back from JSON (see `filter_json`).
fn filter_dyn(value: Value) -> Dyn {
    match value {
        Value::Bool(b) => Dyn::Bool(b),
        Value::String(s) => Dyn::String(s),
        Value::Number(n) => n.as_f64().map_or(Dyn::Null, Dyn::Number),
        _ => Dyn::Null,
    }
}

/// A plural lookup's state: its arguments, and the states of the objects found
/// under the type's plural name (`vms`), each exported as in `Found`.
pub struct Listing<K: ListKind> {
    pub id: Option<String>,
    /// Only for location-scoped types.
    pub location: Option<String>,
    pub name_regex: Option<String>,
    /// The configured filters, by the filter's name (data: the kind's filters).
    pub filters: Obj,
    pub ids: Vec<Option<String>>,
    pub found: Vec<State<K>>,
}

/// The field names of `Listing<K>`, in the order of its schema: `Listing` has
/// one struct shape per kind, and serde wants them `'static`, so each kind's is
/// made once.
fn listing_fields<K: LookupKind>() -> &'static [&'static str] {
    static FIELDS: OnceLock<Mutex<HashMap<TypeId, &'static [&'static str]>>> = OnceLock::new();
    let mut fields = FIELDS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    fields.entry(TypeId::of::<K>()).or_insert_with(|| {
        let mut names = vec!["id"];
        if located::<K>() {
            names.push(LOCATION);
        }
        names.push(NAME_REGEX);
        names.extend(K::filters().iter().map(|f| f.name));
        names.extend(["ids", K::PLURAL]);
        Vec::leak(names)
    })
}

impl<K: LookupKind> Serialize for Listing<K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let names = exported_names(&K::resource().schema());
        let found = self
            .found
            .iter()
            .map(|state| exported_json(&names, state))
            .collect::<Result<Vec<_>, _>>()
            .map_err(ser::Error::custom)?;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &self.id)?;
        if located::<K>() {
            map.serialize_entry(LOCATION, &self.location)?;
        }
        map.serialize_entry(NAME_REGEX, &self.name_regex)?;
        for filter in K::filters() {
            let value = self
                .filters
                .get(filter.name)
                .map_or(Value::Null, filter_json);
            map.serialize_entry(filter.name, &value)?;
        }
        map.serialize_entry("ids", &self.ids)?;
        map.serialize_entry(K::PLURAL, &found)?;
        map.end()
    }
}

impl<'de, K: LookupKind> Deserialize<'de> for Listing<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let fields = listing_fields::<K>();
        let mut map = deserializer.deserialize_struct("Listing", fields, JsonFields)?;
        let mut take = |name: &str| map.remove(name).unwrap_or(Value::Null);
        fn read<T: DeserializeOwned + Default, E: de::Error>(value: Value) -> Result<T, E> {
            Option::<T>::deserialize(value)
                .map(Option::unwrap_or_default)
                .map_err(E::custom)
        }
        let filters = K::filters()
            .iter()
            .map(|f| (f.name.to_owned(), filter_dyn(take(f.name))))
            .collect();
        Ok(Listing {
            id: read(take("id"))?,
            location: read(take(LOCATION))?,
            name_regex: read(take(NAME_REGEX))?,
            filters,
            ids: read(take("ids"))?,
            found: read(take(K::PLURAL))?,
        })
    }
}

#[async_trait]
impl<K: LookupKind> DataSourceType for Plural<K> {
    type Platform = ProviderData;
    const NAME: &'static str = K::PLURAL;
    type State = Listing<K>;

    fn schema(&self) -> SchemaSpec {
        let noun = K::NOUN;
        let item = exported_attrs(K::Resource::NAME, &K::resource().schema());
        let mut spec = SchemaSpec::new(format!(
            "Lists existing {noun}s, sorted by name, with the attributes of `idcloudhost_{}` (secrets excepted).",
            K::Resource::NAME
        ))
        .attr(Attr::computed("id", Ty::String).desc("Identifies the filter combination."));
        if located::<K>() {
            spec = spec.attr(location_arg(noun));
        }
        spec.attrs(filter_args::<K>()).attr(
            Attr::computed("ids", Ty::list(Ty::String))
                .desc(format!("Ids of the matching {noun}s, in the order of `{}`.", K::PLURAL)),
        )
        .attr(
            Attr::computed(K::PLURAL, Ty::list(object_ty(&item)))
                .desc(format!("The matching {noun}s, sorted by name (then id); each has the attributes of the singular `idcloudhost_{}` data source.", K::Resource::NAME)),
        )
    }

    async fn read(&self, ctx: &ProviderData, config: Listing<K>) -> Result<Listing<K>, OpError> {
        let location = lookup_location::<K>(ctx, config.location.as_deref()).await?;
        let name_regex = config.name_regex;
        let candidates = K::candidates(ctx, &location).await?;
        let found: Vec<State<K>> = shown::<K>(
            &self.0,
            ctx,
            &location,
            candidates,
            name_regex.as_deref(),
            &config.filters,
            usize::MAX,
        )
        .await?
        .into_iter()
        .map(|shown| shown.typed)
        .collect();
        let ids = found.iter().map(|state| wanted::<K>(state).id).collect();
        let mut key = vec![
            location.clone(),
            name_regex.as_deref().unwrap_or("*").to_owned(),
        ];
        for filter in &K::filters() {
            if let Some(value) = config.filters.get(filter.name).filter(|v| !v.is_null()) {
                key.push(format!("{}={}", filter.name, describe(value)));
            }
        }
        Ok(Listing {
            id: Some(key.join("/")),
            location: Some(location),
            name_regex,
            filters: config.filters,
            ids,
            found,
        })
    }

    /// Its arguments and lists are the schema, and each listed object's
    /// exported fields are the resource's state struct's (see `Found`).
    fn state_matches_schema(&self) -> Result<(), String> {
        let spec = self.schema();
        crate::framework::typed::state_fields_match::<Listing<K>>(&spec)?;
        let Some(Ty::List(item)) = spec.attr_spec(K::PLURAL).map(|a| &a.ty) else {
            return Err(format!("{} is not a list", K::PLURAL));
        };
        let Ty::Object(fields) = item.as_ref() else {
            return Err(format!("{} is not a list of objects", K::PLURAL));
        };
        let names: Vec<&str> = fields.iter().map(|(name, _)| *name).collect();
        exported_fields_match::<K>(&names)?;
        let listing = Listing::<K> {
            id: None,
            location: None,
            name_regex: None,
            filters: Obj::new(),
            ids: Vec::new(),
            found: vec![sample()?],
        };
        serializes_to_schema(&spec, &listing)
    }
}

/// The filter arguments every plural data source and list resource of the type
/// takes: `name_regex` and the type's own filters.
pub fn filter_args<K: ListKind>() -> Vec<Attr> {
    let noun = K::NOUN;
    let name_regex = super::name_regex_argument(format!(
        "Only {noun}s whose name matches this regular expression (unanchored: use `^...$` for a whole name).{}",
        K::NAME_IS
    ));
    std::iter::once(name_regex)
        .chain(K::filters().into_iter().map(|filter| {
            let mut attr = Attr::optional(filter.name, filter.ty).desc(filter.description);
            attr.validators = filter.validators;
            attr
        }))
        .collect()
}

/// The candidates whose name matches the configured `name_regex`, sorted by
/// name (then id).
pub fn named(
    mut candidates: Vec<Candidate>,
    name_regex: Option<&str>,
) -> Result<Vec<Candidate>, OpError> {
    let matches = super::name_matches(name_regex)?;
    candidates.retain(|c| matches(&c.name));
    candidates.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    Ok(candidates)
}

/// Whether an object's state passes every filter the configuration (an object
/// keyed by the filters' names) sets.
pub fn passes<S>(filters: &[Filter<S>], config: &Obj, state: &S) -> bool {
    filters.iter().all(|f| match config.get(f.name) {
        Some(value) if !value.is_null() => (f.keeps)(state, value),
        _ => true,
    })
}

fn describe(value: &Dyn) -> String {
    match value {
        Dyn::String(s) => s.clone(),
        Dyn::Bool(b) => b.to_string(),
        Dyn::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    }
}

// --------------------------------------------------------------- the kinds

/// The first of the state's address fields that is set, unless it is empty.
fn first_address(addresses: &[&Option<String>]) -> Option<String> {
    addresses
        .iter()
        .find_map(|a| a.as_deref())
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
}

fn candidate(id: impl Into<String>, name: impl Into<String>) -> Candidate {
    Candidate {
        id: id.into(),
        name: name.into(),
    }
}

pub struct Vms;

impl LookupKind for Vms {
    const PLURAL: &'static str = "vms";
}

#[async_trait]
impl ListKind for Vms {
    type Resource = resources::vm::VmResource;
    const NOUN: &'static str = "VM";

    fn address(vm: &VmState) -> Option<String> {
        first_address(&[&vm.public_ipv4.clone().into_known(), &vm.private_ipv4])
    }

    fn filters() -> Vec<Filter<VmState>> {
        vec![Filter {
            name: "status",
            ty: Ty::String,
            description: "Only VMs in this status: `running` or `stopped`.",
            validators: vec![Validator::OneOf(&["running", "stopped"])],
            keeps: |vm, wanted| {
                wanted
                    .as_str()
                    .is_some_and(|w| vm.status.as_deref() == Some(w))
            },
        }]
    }

    async fn candidates(ctx: &ProviderData, location: &str) -> Result<Vec<Candidate>, OpError> {
        Ok(api::vm::list(&ctx.client, location)
            .await?
            .into_iter()
            .map(|vm| candidate(vm.uuid, vm.name))
            .collect())
    }
}

pub struct Networks;

impl LookupKind for Networks {
    const PLURAL: &'static str = "networks";
}

#[async_trait]
impl ListKind for Networks {
    type Resource = resources::network::NetworkResource;
    const NOUN: &'static str = "network";

    fn filters() -> Vec<Filter<NetworkState>> {
        vec![Filter {
            name: "is_default",
            ty: Ty::Bool,
            description: "`true`: only the location's default network; `false`: every other one.",
            validators: Vec::new(),
            keeps: |network, wanted| {
                network.is_default.unwrap_or(false) == wanted.as_bool().unwrap_or(false)
            },
        }]
    }

    async fn candidates(ctx: &ProviderData, location: &str) -> Result<Vec<Candidate>, OpError> {
        Ok(api::network::list(&ctx.client, location)
            .await?
            .into_iter()
            .map(|n| candidate(n.uuid, n.name))
            .collect())
    }
}

pub struct FloatingIps;

impl LookupKind for FloatingIps {
    const PLURAL: &'static str = "floating_ips";
}

#[async_trait]
impl ListKind for FloatingIps {
    type Resource = resources::floating_ip::FloatingIpResource;
    const NOUN: &'static str = "floating IP";

    fn address(ip: &FloatingIpState) -> Option<String> {
        first_address(&[&ip.address])
    }

    fn filters() -> Vec<Filter<FloatingIpState>> {
        vec![Filter {
            name: "assigned",
            ty: Ty::Bool,
            description: "`true`: only addresses assigned to something (a VM, load balancer or service); `false`: only free ones.",
            validators: Vec::new(),
            keeps: |ip, wanted| ip.assigned_to.is_some() == wanted.as_bool().unwrap_or(false),
        }]
    }

    async fn candidates(ctx: &ProviderData, location: &str) -> Result<Vec<Candidate>, OpError> {
        Ok(api::floating_ip::list(&ctx.client, location)
            .await?
            .into_iter()
            .map(|ip| candidate(ip.address, ip.name))
            .collect())
    }
}

pub struct Disks;

impl LookupKind for Disks {
    const PLURAL: &'static str = "disks";
}

#[async_trait]
impl ListKind for Disks {
    type Resource = resources::disk::DiskResource;
    const NOUN: &'static str = "disk";

    /// Boot disks are left out: each belongs to its VM (`idcloudhost_vm` sizes it
    /// and deletes it), so adopting one as a disk would manage it twice.
    async fn adoptable(ctx: &ProviderData, location: &str) -> Result<Vec<Candidate>, OpError> {
        let boot: std::collections::HashSet<String> = api::vm::list(&ctx.client, location)
            .await?
            .into_iter()
            .flat_map(|vm| vm.storage.into_iter().filter(|s| s.primary))
            .map(|s| s.uuid.to_ascii_lowercase())
            .collect();
        let mut candidates = Self::candidates(ctx, location).await?;
        candidates.retain(|c| !boot.contains(&c.id.to_ascii_lowercase()));
        Ok(candidates)
    }

    async fn candidates(ctx: &ProviderData, location: &str) -> Result<Vec<Candidate>, OpError> {
        Ok(api::disk::list(&ctx.client, location)
            .await?
            .into_iter()
            .map(|d| {
                let name = d.display_name.clone().unwrap_or_default();
                candidate(d.uuid, name)
            })
            .collect())
    }
}

pub struct Firewalls;

impl LookupKind for Firewalls {
    const PLURAL: &'static str = "firewalls";
}

#[async_trait]
impl ListKind for Firewalls {
    type Resource = resources::firewall::FirewallResource;
    const NOUN: &'static str = "firewall";

    async fn candidates(ctx: &ProviderData, location: &str) -> Result<Vec<Candidate>, OpError> {
        Ok(api::firewall::list(&ctx.client, location)
            .await?
            .into_iter()
            .map(|fw| {
                let name = fw.display_name().to_owned();
                candidate(fw.uuid, name)
            })
            .collect())
    }
}

pub struct LoadBalancers;

impl LookupKind for LoadBalancers {
    const PLURAL: &'static str = "load_balancers";
}

#[async_trait]
impl ListKind for LoadBalancers {
    type Resource = resources::load_balancer::LoadBalancerResource;
    const NOUN: &'static str = "load balancer";

    fn address(lb: &LoadBalancerState) -> Option<String> {
        let (public, private) = (lb.public_address.clone(), lb.private_address.clone());
        first_address(&[&public.into_known(), &private.into_known()])
    }

    async fn candidates(ctx: &ProviderData, location: &str) -> Result<Vec<Candidate>, OpError> {
        Ok(api::load_balancer::list(&ctx.client, location)
            .await?
            .into_iter()
            .map(|lb| candidate(lb.uuid, lb.display_name))
            .collect())
    }
}

pub struct SshKeys;

impl LookupKind for SshKeys {
    const PLURAL: &'static str = "ssh_keys";
}

#[async_trait]
impl ListKind for SshKeys {
    type Resource = resources::ssh_key::SshKeyResource;
    const NOUN: &'static str = "SSH key";

    async fn candidates(ctx: &ProviderData, _location: &str) -> Result<Vec<Candidate>, OpError> {
        Ok(api::ssh_key::list(&ctx.client)
            .await?
            .into_iter()
            .map(|k| candidate(k.uuid, k.name))
            .collect())
    }
}

pub struct ServicePackages;

impl LookupKind for ServicePackages {
    const PLURAL: &'static str = "service_packages";
}

#[async_trait]
impl ListKind for ServicePackages {
    type Resource = resources::service_package::ServicePackageResource;
    const NOUN: &'static str = "service package";

    async fn candidates(ctx: &ProviderData, _location: &str) -> Result<Vec<Candidate>, OpError> {
        Ok(api::service::list(&ctx.client)
            .await?
            .into_iter()
            .map(|p| candidate(p.uuid, p.display_name))
            .collect())
    }
}

pub struct Buckets;

impl LookupKind for Buckets {
    const PLURAL: &'static str = "buckets";
}

#[async_trait]
impl ListKind for Buckets {
    type Resource = resources::storage::BucketResource;
    const NOUN: &'static str = "bucket";

    async fn candidates(ctx: &ProviderData, _location: &str) -> Result<Vec<Candidate>, OpError> {
        Ok(
            without_storage_account_none(api::storage::list_buckets(&ctx.client).await)?
                .into_iter()
                .map(|b| candidate(b.name.clone(), b.name))
                .collect(),
        )
    }
}

/// An account without object storage has no buckets and no keys (the API
/// answers "Storage account not found").
fn without_storage_account_none<T>(
    listed: Result<Vec<T>, api::ApiError>,
) -> Result<Vec<T>, api::ApiError> {
    match listed {
        Err(e) if api::storage::is_no_storage_account(&e) => Ok(Vec::new()),
        other => other,
    }
}

// Attachments, assignments, snapshots and credentials have no lookups; list
// resources find them in their parent's list (never a read per object).

/// The names of the location's VMs by uuid, for names of what is attached to them.
async fn vm_names(
    ctx: &ProviderData,
    location: &str,
) -> Result<std::collections::HashMap<String, String>, OpError> {
    Ok(api::vm::list(&ctx.client, location)
        .await?
        .into_iter()
        .map(|vm| (vm.uuid.to_ascii_lowercase(), vm.name))
        .collect())
}

fn name_of<'a>(names: &'a std::collections::HashMap<String, String>, uuid: &'a str) -> &'a str {
    names
        .get(&uuid.to_ascii_lowercase())
        .map_or(uuid, String::as_str)
}

pub struct DiskAttachments;

#[async_trait]
impl ListKind for DiskAttachments {
    type Resource = resources::disk::DiskAttachmentResource;
    const NOUN: &'static str = "disk attachment";
    const NAME_IS: &'static str =
        " An attachment's name is `<disk name> on <VM name>` (the disk's uuid when it has no name).";

    /// Every extra (not boot) disk in a VM's storage list, named `<disk> on <VM>`.
    async fn candidates(ctx: &ProviderData, location: &str) -> Result<Vec<Candidate>, OpError> {
        let disk_names: std::collections::HashMap<String, String> =
            api::disk::list(&ctx.client, location)
                .await?
                .into_iter()
                .filter_map(|d| Some((d.uuid.to_ascii_lowercase(), d.display_name?)))
                .filter(|(_, name)| !name.is_empty())
                .collect();
        Ok(api::vm::list(&ctx.client, location)
            .await?
            .into_iter()
            .flat_map(|vm| {
                let disks: Vec<_> = vm.storage.iter().filter(|s| !s.primary).cloned().collect();
                let disk_names = &disk_names;
                disks.into_iter().map(move |disk| {
                    let name = format!("{} on {}", name_of(disk_names, &disk.uuid), vm.name);
                    candidate(format!("{}/{}", vm.uuid, disk.uuid), name)
                })
            })
            .collect())
    }
}

pub struct FloatingIpAssignments;

#[async_trait]
impl ListKind for FloatingIpAssignments {
    type Resource = resources::floating_ip::FloatingIpAssignmentResource;
    const NOUN: &'static str = "floating IP assignment";
    const NAME_IS: &'static str = " An assignment's name is the floating IP's name.";

    /// Every floating IP assigned to a VM, load balancer or service, by its name.
    async fn candidates(ctx: &ProviderData, location: &str) -> Result<Vec<Candidate>, OpError> {
        Ok(api::floating_ip::list(&ctx.client, location)
            .await?
            .into_iter()
            .filter(|ip| ip.is_assigned() && api::floating_ip::Target::of(ip).is_some())
            .map(|ip| candidate(ip.address, ip.name))
            .collect())
    }

    fn address(assignment: &FloatingIpAssignmentState) -> Option<String> {
        let address = assignment.address.as_deref()?;
        match assignment.private_ip.as_deref() {
            Some(private) => Some(format!("{address} → {private}")),
            None => Some(address.to_owned()),
        }
    }
}

pub struct FirewallAttachments;

#[async_trait]
impl ListKind for FirewallAttachments {
    type Resource = resources::firewall::FirewallAttachmentResource;
    const NOUN: &'static str = "firewall attachment";
    const NAME_IS: &'static str = " An attachment's name is `<firewall name> on <VM name>`.";

    /// Every VM a firewall's list entry names, as `<firewall> on <VM>`.
    async fn candidates(ctx: &ProviderData, location: &str) -> Result<Vec<Candidate>, OpError> {
        let firewalls = api::firewall::list(&ctx.client, location).await?;
        if firewalls
            .iter()
            .all(|fw| fw.assigned_vm_uuids().next().is_none())
        {
            return Ok(Vec::new());
        }
        let vms = vm_names(ctx, location).await?;
        Ok(firewalls
            .iter()
            .flat_map(|fw| {
                let vms = &vms;
                fw.assigned_vm_uuids().map(move |vm| {
                    let name = format!("{} on {}", fw.display_name(), name_of(vms, vm));
                    candidate(format!("{}/{vm}", fw.uuid), name)
                })
            })
            .collect())
    }
}

pub struct VmSnapshots;

#[async_trait]
impl ListKind for VmSnapshots {
    type Resource = resources::vm_snapshot::VmSnapshotResource;
    const NOUN: &'static str = "VM snapshot";
    const NAME_IS: &'static str = " A snapshot's name is `<VM name> snapshot <created_at>`.";

    /// The snapshots (not backups) the VM list shows, as `<VM> snapshot <created_at>`.
    async fn candidates(ctx: &ProviderData, location: &str) -> Result<Vec<Candidate>, OpError> {
        Ok(api::vm::list(&ctx.client, location)
            .await?
            .into_iter()
            .flat_map(|vm| {
                let snapshots: Vec<_> = vm
                    .storage
                    .iter()
                    .flat_map(|s| s.replica.iter())
                    .filter(|r| r.r#type == "snapshot")
                    .cloned()
                    .collect();
                snapshots.into_iter().map(move |r| {
                    let name = format!("{} snapshot {}", vm.name, r.created_at);
                    candidate(format!("{}/{}", vm.uuid, r.uuid), name)
                })
            })
            .collect())
    }
}

pub struct S3Credentials;

#[async_trait]
impl ListKind for S3Credentials {
    type Resource = resources::storage::S3CredentialResource;
    const NOUN: &'static str = "S3 credential";
    const NAME_IS: &'static str = " A credential's name is its access key.";

    /// Every key pair, by its access key (its secret stays out of the name).
    async fn candidates(ctx: &ProviderData, _location: &str) -> Result<Vec<Candidate>, OpError> {
        Ok(
            without_storage_account_none(api::storage::list_keys(&ctx.client).await)?
                .into_iter()
                .map(|k| candidate(k.access_key.clone(), k.access_key))
                .collect(),
        )
    }
}

fn pair<K: LookupKind>(shared: &Shared) -> [(String, Box<dyn DynamicDataSource>); 2] {
    [
        super::register(Single::<K>::new(shared), shared),
        super::register(Plural::<K>::new(shared), shared),
    ]
}

/// Something done for each lookup kind (`each_kind`).
trait KindVisitor {
    fn visit<K: LookupKind>(&mut self);
}

/// Every kind with lookups, once: the registry (`data_sources`) and the test of
/// the lookups' written words walk this one list.
fn each_kind(visitor: &mut impl KindVisitor) {
    visitor.visit::<Vms>();
    visitor.visit::<Networks>();
    visitor.visit::<FloatingIps>();
    visitor.visit::<Disks>();
    visitor.visit::<Firewalls>();
    visitor.visit::<LoadBalancers>();
    visitor.visit::<SshKeys>();
    visitor.visit::<ServicePackages>();
    visitor.visit::<Buckets>();
}

/// The singular and plural lookup data sources of every resource type.
pub fn data_sources(shared: &Shared) -> Vec<(String, Box<dyn DynamicDataSource>)> {
    struct Registry<'a>(&'a Shared, Vec<(String, Box<dyn DynamicDataSource>)>);
    impl KindVisitor for Registry<'_> {
        fn visit<K: LookupKind>(&mut self) {
            self.1.extend(pair::<K>(self.0));
        }
    }
    let mut registry = Registry(shared, Vec::new());
    each_kind(&mut registry);
    registry.1
}

#[cfg(test)]
mod read_only_description_tests {
    use super::read_only_description as read;

    #[test]
    fn unnamed_objects_are_listed_by_id() {
        let candidate = |id: &str, name: &str| super::Candidate {
            id: id.to_owned(),
            name: name.to_owned(),
        };
        let names = super::listed_names(&[
            candidate("b-1", "admin-data"),
            candidate("a-1", ""),
            candidate("c-1", " "),
        ]);
        assert_eq!(
            names,
            ["(unnamed, id a-1)", "(unnamed, id c-1)", "admin-data"]
        );
    }

    #[test]
    fn configuring_sentences_clauses_and_remarks_are_left_out() {
        assert_eq!(
            read("Billing account charged for the resource; defaults to the provider's `billing_account_id`, else the account's default billing account. An id that is not one of the account's billing accounts is a plan-time error."),
            "Billing account charged for the resource."
        );
        assert_eq!(
            read("Boot disk size in GB (default: the host pool's minimum, or 20). Grows in place; shrinking is not possible."),
            "Boot disk size in GB."
        );
        assert_eq!(
            read("Number of virtual CPUs, within the host pool's limits and the operating system's minimum (Windows: 2), checked at plan time. Changed in place: a running VM is stopped, resized and started again."),
            "Number of virtual CPUs, within the host pool's limits and the operating system's minimum (Windows: 2)."
        );
        assert_eq!(
            read("Private network of the VM; the location's default network when unset. Must be a network of the VM's location (checked at plan time)."),
            "Private network of the VM."
        );
        assert_eq!(
            read("`running` (default) or `stopped`; changed in place."),
            "`running` or `stopped`."
        );
        assert_eq!(
            read("What the disk starts as: `EMPTY` (default), `OS_BASE` (an OS image) or `DISK`."),
            "What the disk starts as: `EMPTY`, `OS_BASE` (an OS image) or `DISK`."
        );
    }

    #[test]
    fn descriptions_about_the_value_stay_as_they_are() {
        for text in [
            "`virtual_machine`, `load_balancer` or `service`; null when unassigned.",
            "The OpenSSH public key line (`<type> <base64> [comment]`, e.g. the contents of `id_ed25519.pub`).",
            "Snapshots of the disk: `uuid`, `name` (null when unnamed), `size_gb`, `created_at`.",
        ] {
            assert_eq!(read(text), text);
        }
        assert_eq!(read(""), "");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::obj;

    #[test]
    fn singular_schema_is_the_resources_without_secrets_and_values_never_read_back() {
        let vm = Single::<Vms>::new(&Shared::default()).schema();
        let resource = resources::vm::VmResource.schema();
        for attr in &resource.attrs {
            let exported = vm.attr_spec(attr.name);
            if attr.sensitive || attr.not_read_back || attr.write_only.is_some() {
                assert!(exported.is_none(), "{} must not be exported", attr.name);
            } else {
                let exported = exported.unwrap_or_else(|| panic!("{} missing", attr.name));
                assert_eq!(exported.ty, attr.ty, "{}", attr.name);
                let expected = match attr.name {
                    "id" | "name" | "location" => Mode::OptionalComputed,
                    _ => Mode::Computed,
                };
                assert_eq!(exported.mode, expected, "{}", attr.name);
            }
        }
        assert!(vm.blocks.is_empty(), "no timeouts on a data source");
    }

    #[test]
    fn blocks_become_computed_lists_and_global_types_have_no_location_argument() {
        let fw = Single::<Firewalls>::new(&Shared::default()).schema();
        let rules = fw.attr_spec("rule").expect("rule exported");
        assert_eq!(rules.mode, Mode::Computed);
        assert!(matches!(rules.ty, Ty::Set(_) | Ty::List(_)));
        let packages = Plural::<ServicePackages>::new(&Shared::default()).schema();
        assert!(packages.attr_spec("location").is_none());
        let list = packages.attr_spec("service_packages").unwrap();
        let Ty::List(item) = &list.ty else {
            panic!("a list")
        };
        let Ty::Object(fields) = item.as_ref() else {
            panic!("objects")
        };
        assert!(fields.iter().any(|(n, _)| *n == "location"));
        assert!(!fields.iter().any(|(n, _)| *n == "password"));
    }

    #[test]
    fn a_singular_configuration_reads_into_the_resources_state_struct() {
        // Terraform sends the exported blocks (`rule`) as null attributes.
        let config =
            obj! {"id" => "fw-1", "name" => Dyn::Null, "rule" => Dyn::Null, "location" => "jkt01"};
        let found: Found<Firewalls> = from_state(&config).unwrap();
        let wanted = wanted::<Firewalls>(&found.0);
        assert_eq!(
            (
                wanted.id.as_deref(),
                wanted.name.as_deref(),
                wanted.location.as_deref()
            ),
            (Some("fw-1"), None, Some("jkt01"))
        );
    }

    #[test]
    fn a_listing_has_the_kinds_names_and_its_filters() {
        let listing = Listing::<Vms> {
            id: Some("jkt01/*/status=running".into()),
            location: Some("jkt01".into()),
            name_regex: None,
            filters: obj! {"status" => "running"},
            ids: vec![Some("vm-1".into())],
            found: vec![crate::resources::vm::VmState {
                id: Some("vm-1".into()),
                password: Some("Hunter2pass".into()),
                ..Default::default()
            }],
        };
        let state = crate::framework::to_state(&listing);
        assert_eq!(state["status"], Dyn::str("running"));
        assert_eq!(state["location"], Dyn::str("jkt01"));
        let vm = state["vms"].as_list()[0].as_obj().unwrap();
        assert_eq!(vm["id"], Dyn::str("vm-1"));
        assert!(!vm.contains_key("password"), "a secret exported: {vm:?}");
        let back: Listing<Vms> = from_state(&state).unwrap();
        assert_eq!(back.found[0].id.as_deref(), Some("vm-1"));
        assert_eq!(back.filters["status"], Dyn::str("running"));
    }

    #[test]
    fn kinds_are_location_scoped_as_their_resources_identity_says() {
        assert!(located::<Vms>() && located::<Networks>() && located::<Disks>());
        assert!(located::<DiskAttachments>() && located::<VmSnapshots>());
        assert!(located::<FloatingIpAssignments>() && located::<FirewallAttachments>());
        assert!(!located::<SshKeys>() && !located::<ServicePackages>());
        assert!(!located::<Buckets>() && !located::<S3Credentials>());
        assert_eq!(import_id::<Disks>("jkt01", "d-1"), "jkt01/d-1");
        assert_eq!(import_id::<SshKeys>("", "k-1"), "k-1");
    }

    #[test]
    fn singular_needs_an_id_or_a_name() {
        let ds = Single::<Networks>::new(&Shared::default());
        assert_eq!(ds.validate(&obj! {}).len(), 1);
        assert!(ds.validate(&obj! {"name" => "x"}).is_empty());
        assert!(ds.validate(&obj! {"id" => Dyn::Unknown}).is_empty());
    }
}

#[cfg(test)]
mod written_words_tests {
    use super::*;

    /// Every kind's exported attributes and blocks, and whether the resource
    /// declares `read_desc` for each: `(resource, name, has read_desc)`.
    fn exported<K: LookupKind>(out: &mut Vec<(&'static str, &'static str, bool)>) {
        for part in super::exported(&K::resource().schema()) {
            let read_desc = matches!(part, Exported::Attr(a) if a.read_description.is_some());
            out.push((K::Resource::NAME, part.name(), read_desc));
        }
    }

    /// Of every registered kind (`each_kind`).
    fn every_exported() -> Vec<(&'static str, &'static str, bool)> {
        struct Exported(Vec<(&'static str, &'static str, bool)>);
        impl KindVisitor for Exported {
            fn visit<K: LookupKind>(&mut self) {
                exported::<K>(&mut self.0);
            }
        }
        let mut out = Exported(Vec::new());
        each_kind(&mut out);
        out.0
    }

    #[test]
    fn every_exported_attribute_has_written_words() {
        let exported = every_exported();
        assert!(exported.len() > 100, "{} exported", exported.len());
        let missing: Vec<String> = exported
            .iter()
            .filter(|(r, name, read_desc)| !read_desc && lookup_words::written(r, name).is_none())
            .map(|(r, name, _)| format!("idcloudhost_{r}.{name}"))
            .collect();
        assert!(
            missing.is_empty(),
            "no words in data_sources/lookup_words.rs (nor a read_desc) for: {missing:?}"
        );
        // Nothing written twice, nothing stale or shadowed by a read_desc.
        for (r, name, words) in lookup_words::WORDS {
            let found = exported.iter().find(|(er, en, _)| er == r && en == name);
            assert!(
                matches!(found, Some((_, _, false))),
                "lookup_words.rs: idcloudhost_{r}.{name} is not exported, or has a read_desc"
            );
            let same = lookup_words::WORDS
                .iter()
                .filter(|(r2, n2, _)| r2 == r && n2 == name)
                .count();
            assert_eq!(same, 1, "idcloudhost_{r}.{name} written {same} times");
            assert!(words.ends_with('.'), "{r}.{name}: {words:?}");
        }
    }

    #[test]
    fn written_words_say_nothing_of_configuring() {
        for (r, name, words) in lookup_words::WORDS {
            assert!(!is_configuring(words), "{r}.{name}: {words:?}");
        }
    }

    #[test]
    fn lookups_export_the_written_words() {
        let spec = Single::<Vms>::new(&Shared::default()).schema();
        let vcpu = spec.attr_spec("vcpu").unwrap();
        assert_eq!(vcpu.description, "Number of virtual CPUs.");
        let plural = Plural::<Firewalls>::new(&Shared::default()).schema();
        let Some(Ty::List(item)) = plural.attr_spec("firewalls").map(|a| &a.ty) else {
            panic!("firewalls is a list");
        };
        assert!(
            matches!(item.as_ref(), Ty::Object(fields) if fields.iter().any(|(n, _)| *n == "rule"))
        );
    }
}
