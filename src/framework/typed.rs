//! Typed state: each resource describes its state as a serde struct and converts
//! it to and from the dynamic object the plan logic works on, so the mapping code
//! names fields instead of strings.
//!
//! - Field names are the schema's attribute and block names; `state_fields_match`
//!   checks that (a unit test per resource, and one over every registered type).
//! - A key the struct does not know is an error in debug builds (tests and the
//!   end-to-end runs), so a schema attribute the struct lacks is caught; release
//!   builds ignore it.
//! - Unknown values (in planned states, never in a state after apply) read as
//!   null: typed code sees `None` for a value not known yet, so every field that
//!   can be unknown or null (a computed value, anything after an import) is an
//!   `Option`; a `Field` where unknown and null must be told apart.
//! - State structs are `#[serde(default)]`: an object that is not a whole state
//!   (an import's, a unit test's) reads with the rest empty.
//! - Blocks are `Vec`s of their own structs; `timeouts` is `Vec<Timeouts>`, which
//!   the adapter carries over itself (see `Managed::carry_over`).

use serde::de::value::MapDeserializer;
use serde::de::{self, DeserializeOwned, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::data_source::{mismatches_of, shape_mismatches};
use super::error::OpError;
use super::resource::ResourceType;
use super::schema::{SchemaSpec, Ty};
use super::value::{Dyn, Obj};

/// The `timeouts` block of any resource (the schema decides which operations it
/// has; the ones it lacks stay `None`).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct Timeouts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete: Option<String>,
}

/// `Debug` for a state struct that holds secrets: each field as serde writes it,
/// except the `secret` ones, shown as `"***"` when set.
pub fn debug_redacted<T: Serialize>(
    state: &T,
    name: &str,
    secret: &[&str],
    f: &mut std::fmt::Formatter<'_>,
) -> std::fmt::Result {
    let mut out = f.debug_struct(name);
    if let Ok(Value::Object(fields)) = serde_json::to_value(state) {
        for (field, value) in &fields {
            if secret.contains(&field.as_str()) && !value.is_null() {
                out.field(field, &"***");
            } else {
                out.field(field, value);
            }
        }
    }
    out.finish()
}

/// The dynamic object of a typed state.
pub fn to_state<T: Serialize>(state: &T) -> Obj {
    match serde_json::to_value(state) {
        Ok(Value::Object(map)) => map.into_iter().map(|(k, v)| (k, from_json(v))).collect(),
        Ok(other) => panic!("a state struct serializes to an object, not {other}"),
        Err(e) => panic!("a state struct serializes: {e}"),
    }
}

/// The typed state of a dynamic object: unknown values read as null (`None`),
/// except in `Field`s, which say `Unknown`.
pub fn from_state<T: DeserializeOwned>(state: &Obj) -> Result<T, OpError> {
    let type_name = std::any::type_name::<T>();
    if cfg!(debug_assertions) {
        let fields = state_fields::<T>();
        if let Some(extra) = state.keys().find(|k| !fields.contains(&k.as_str())) {
            return Err(OpError::new(format!(
                "The state has an attribute {extra:?} that {type_name} does not know"
            )));
        }
    }
    let object = Dyn::Object(state.clone());
    T::deserialize(DynDe(&object, Mode::State)).map_err(|e: de::value::Error| {
        OpError::new(format!("The state does not match {type_name}: {e}"))
            .detail("This is a bug in the provider; please report it.")
    })
}

/// A resource's configuration as its `validate` reads it (`ResourceType::Config`):
/// a view with the attributes and blocks the checks need, named as in the schema
/// (`config_view_matches` checks the names at every depth). At validate time any
/// value may be unknown, and unknown is not null there (an unknown value is set):
/// each field is a `Field`, and a list whose items may be unknown is a
/// `Vec<Field<T>>` (the items are all kept, so an index is the configured
/// element's). A number is an `f64`, as configured (a fraction is the attribute
/// validator's to report). Attributes the view does not name are skipped.
pub fn from_config<T: DeserializeOwned>(config: &Obj) -> Result<T, OpError> {
    let object = Dyn::Object(config.clone());
    T::deserialize(DynDe(&object, Mode::Config)).map_err(|e: de::value::Error| {
        OpError::new(format!(
            "The configuration does not match {}: {e}",
            std::any::type_name::<T>()
        ))
        .detail("This is a bug in the provider; please report it.")
    })
}

/// The configuration view of a resource without cross-attribute checks: it
/// reads nothing.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq)]
pub struct NoChecks {}

/// `Err` naming them when a resource's configuration view (`ResourceType::Config`)
/// has names the schema lacks, at any depth (a block's fields included): a
/// misspelt field would otherwise read as null and its check never run.
pub fn config_view_matches<R: ResourceType>(resource: &R) -> Result<(), String> {
    view_names_in_schema::<R::Config>(&resource.schema())
}

/// `Err` naming the names of `T` (every field set, at every depth) that are not
/// in `spec`.
pub fn view_names_in_schema<T: Serialize + DeserializeOwned>(
    spec: &SchemaSpec,
) -> Result<(), String> {
    let sample = to_state(&sample::<T>()?);
    let extra: Vec<String> = shape_mismatches(spec, &sample)
        .into_iter()
        .filter(|mismatch| mismatch.ends_with("is not in the schema"))
        .collect();
    mismatches_of::<T>(extra)
}

/// A value in a state struct that may be known, unknown (planned values only:
/// "known after apply") or null, where the difference matters: a plain `Option`
/// reads unknown as `None`. It round-trips through `to_state` / `from_state`
/// keeping `Unknown`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Field<T> {
    #[default]
    Null,
    Unknown,
    Known(T),
}

impl<T> Field<T> {
    /// The value, when known.
    pub fn known(&self) -> Option<&T> {
        match self {
            Field::Known(value) => Some(value),
            _ => None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Field::Unknown)
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Field::Null)
    }

    /// The known value, dereferenced (`Option::as_deref`).
    pub fn as_deref(&self) -> Option<&T::Target>
    where
        T: std::ops::Deref,
    {
        self.known().map(|value| &**value)
    }

    /// The value when known; `None` when null or unknown.
    pub fn into_known(self) -> Option<T> {
        match self {
            Field::Known(value) => Some(value),
            _ => None,
        }
    }
}

impl<T: Serialize> Field<T> {
    /// The value as Terraform's (unknown as `Dyn::Unknown`, at any depth), for
    /// what takes dynamic values: a `Validator`.
    pub fn to_dyn(&self) -> Dyn {
        from_json(serde_json::to_value(self).unwrap_or(Value::Null))
    }
}

impl<T: PartialEq> PartialEq<Option<T>> for Field<T> {
    fn eq(&self, other: &Option<T>) -> bool {
        self.known() == other.as_ref() && !(self.is_unknown() && other.is_none())
    }
}

impl<'a, T> From<&'a Field<T>> for Option<&'a T> {
    fn from(field: &'a Field<T>) -> Self {
        field.known()
    }
}

impl<T> From<Option<T>> for Field<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Field::Null, Field::Known)
    }
}

/// The newtype name by which `Field` asks the state deserializer for unknowns.
const FIELD_TOKEN: &str = "$framework::Field";
/// How an unknown `Field` serializes: an object no state holds (`to_state` makes
/// it `Dyn::Unknown` again).
const UNKNOWN_KEY: &str = "\u{0}unknown";

impl<T: Serialize> Serialize for Field<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Field::Null => serializer.serialize_none(),
            Field::Known(value) => serializer.serialize_some(value),
            Field::Unknown => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry(UNKNOWN_KEY, &true)?;
                map.end()
            }
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Field<T> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for FieldVisitor<T> {
            type Value = Field<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a value, null or unknown")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Field::Unknown)
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Field::Null)
            }
            fn visit_newtype_struct<D: de::Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<Self::Value, D::Error> {
                Option::<T>::deserialize(deserializer).map(Field::from)
            }
        }
        deserializer.deserialize_newtype_struct(FIELD_TOKEN, FieldVisitor(Default::default()))
    }
}

/// Reads a state struct straight from the dynamic value (so a `Field` can tell
/// unknown from null). `config`: reading a configuration view (`from_config`),
/// where list items not known yet are kept and an object not known yet reads as
/// one with every field null.
#[derive(Clone, Copy)]
struct DynDe<'a>(&'a Dyn, Mode);

/// What `DynDe` reads: a state (`from_state`) or a configuration view
/// (`from_config`).
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    State,
    Config,
}

impl<'a> DynDe<'a> {
    fn at(self, value: &'a Dyn) -> Self {
        DynDe(value, self.1)
    }
}

impl<'de> de::IntoDeserializer<'de, de::value::Error> for DynDe<'_> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for DynDe<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Dyn::Null | Dyn::Unknown => visitor.visit_unit(),
            Dyn::Bool(b) => visitor.visit_bool(*b),
            // Whole numbers as integers, so they read into integer fields.
            Dyn::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => visitor.visit_i64(*n as i64),
            Dyn::Number(n) => visitor.visit_f64(*n),
            Dyn::String(s) => visitor.visit_str(s),
            Dyn::List(items) => {
                // A plan's list may hold values not known yet: the known ones. A
                // configuration view keeps them all (its items are `Field`s), so
                // an index still points at the configured element.
                let mode = self.1;
                let kept = items
                    .iter()
                    .filter(|item| mode == Mode::Config || !item.is_unknown());
                let mut seq = de::value::SeqDeserializer::new(kept.map(|item| self.at(item)));
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Dyn::Object(map) => {
                let mut map =
                    MapDeserializer::new(map.iter().map(|(k, v)| (k.as_str(), self.at(v))));
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Dyn::Null | Dyn::Unknown => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    /// In a configuration view, a number Terraform sent as its decimal text (one
    /// that is not exactly a float64, such as `1.1`, at any depth) reads as the
    /// number.
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Dyn::String(text) if self.1 == Mode::Config => match text.trim().parse::<f64>() {
                Ok(n) => visitor.visit_f64(n),
                Err(_) => self.deserialize_any(visitor),
            },
            _ => self.deserialize_any(visitor),
        }
    }

    /// In a configuration view, an object (a block) not known yet has every
    /// field null, as the dynamic object's `get` says.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Dyn::Unknown if self.1 == Mode::Config => {
                let none = std::iter::empty::<(&str, DynDe<'_>)>();
                let mut map = MapDeserializer::new(none);
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
            _ => self.deserialize_any(visitor),
        }
    }

    /// A block (a `Vec` of its struct) not known yet, or null, has no elements,
    /// as `Dyn::as_list` says.
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Dyn::Null | Dyn::Unknown => visitor.visit_seq(de::value::SeqDeserializer::<
                std::iter::Empty<DynDe<'_>>,
                de::value::Error,
            >::new(std::iter::empty())),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Dyn::Unknown if name == FIELD_TOKEN => visitor.visit_unit(),
            _ => visitor.visit_newtype_struct(self),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 char str string bytes
        byte_buf unit unit_struct tuple tuple_struct map
        enum identifier ignored_any
    }
}

/// An API string where empty means "not set".
pub fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
}

/// A value the operation cannot do without (an `id`, a required argument), from
/// an `Option` or a `Field` of a state struct.
pub fn required<'a>(value: impl Into<Option<&'a String>>, name: &str) -> Result<&'a str, OpError> {
    required_value(value.into().map(String::as_str), name)
}

/// `required` for a value that is not a string (a number such as a
/// `billing_account_id` or a size): the same error when it is not set.
pub fn required_value<T>(value: Option<T>, name: &str) -> Result<T, OpError> {
    value.ok_or_else(|| OpError::new(format!("{name} is not set")).at(name))
}

/// The field names of a state struct, as serde sees them (renames applied).
pub fn state_fields<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut probe = FieldProbe(&[]);
    let _ = T::deserialize(&mut probe);
    probe.0
}

/// `Err` naming the differences when the fields of `T` are not exactly the
/// schema's attribute and block names.
pub fn state_fields_match<T: DeserializeOwned>(spec: &SchemaSpec) -> Result<(), String> {
    fields_match(state_fields::<T>(), spec)
        .map_err(|e| format!("{}: {e}", std::any::type_name::<T>()))
}

/// A resource's state struct checked against its schema (one line in each
/// resource's unit tests).
pub fn state_matches_schema<R: ResourceType>(resource: &R) -> Result<(), String> {
    state_fields_match::<R::State>(&resource.schema())
}

/// `Err` naming the differences when `fields` are not exactly the schema's
/// attribute and block names.
pub fn fields_match(fields: &[&str], spec: &SchemaSpec) -> Result<(), String> {
    let names: Vec<&str> = spec
        .attrs
        .iter()
        .map(|a| a.name)
        .chain(spec.blocks.iter().map(|b| b.name))
        .collect();
    let missing: Vec<&&str> = names.iter().filter(|n| !fields.contains(n)).collect();
    let extra: Vec<&&str> = fields.iter().filter(|f| !names.contains(f)).collect();
    if missing.is_empty() && extra.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "schema names missing from the struct: {missing:?}; struct fields not in the schema: {extra:?}"
        ))
    }
}

fn from_json(value: Value) -> Dyn {
    match value {
        Value::Null => Dyn::Null,
        Value::Bool(b) => Dyn::Bool(b),
        Value::Number(n) => Dyn::Number(n.as_f64().unwrap_or_default()),
        Value::String(s) => Dyn::String(s),
        Value::Array(items) => Dyn::List(items.into_iter().map(from_json).collect()),
        Value::Object(map) if map.len() == 1 && map.contains_key(UNKNOWN_KEY) => Dyn::Unknown,
        Value::Object(map) => {
            Dyn::Object(map.into_iter().map(|(k, v)| (k, from_json(v))).collect())
        }
    }
}

/// A deserializer that only records the field names a struct asks for.
struct FieldProbe(&'static [&'static str]);

impl<'de> de::Deserializer<'de> for &mut FieldProbe {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0 = fields;
        Err(de::Error::custom("field names recorded"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
        enum identifier ignored_any
    }
}

/// A value of `T` with every field set: each `Option` `Some`, each sequence one
/// item, each struct all its fields, so its serialization shows every name at
/// every depth.
pub(crate) fn sample<T: DeserializeOwned>() -> Result<T, String> {
    T::deserialize(Probe(None))
        .map_err(|e| format!("{}: no sample: {e}", std::any::type_name::<T>()))
}

/// The schema type of a struct's object, derived from its `Deserialize`: a
/// `Ty::Object` with its fields, named as serde names them (renames applied),
/// in their order; `String` is `Ty::String`, integers and floats `Ty::Number`,
/// `bool` `Ty::Bool`, `Option<T>` and `Field<T>` the type of `T`, `Vec<T>` a
/// list of it, and a nested struct its own object. It exists so that the
/// struct of an object in a list attribute (a data source's `Account`) is
/// declared once, and its schema type (`Ty::list(ty_of::<Account>())`) cannot
/// differ from it.
///
/// Panics when `T` holds something without a schema type (a map, an enum, a
/// `serde_json::Value`): a bug a unit test over the schema shows.
pub fn ty_of<T: DeserializeOwned>() -> Ty {
    let mut ty = None;
    let traced = T::deserialize(Probe(Some(&mut ty))).map(drop);
    match (traced, ty) {
        (Ok(()), Some(ty)) => ty,
        (Err(e), _) => panic!("no schema type for {}: {e}", std::any::type_name::<T>()),
        (Ok(()), None) => panic!("no schema type for {}", std::any::type_name::<T>()),
    }
}

/// The deserializer behind `sample` and `ty_of`: it gives each value one of
/// its type (`true`, `1`, `1.5`, `"x"`; one item for a sequence, every field
/// for a struct), so that every field at every depth is asked for. With a slot
/// (`ty_of`) it also records there the schema type the value asks for, and
/// refuses a value of none; without (`sample`) such a value is a unit or an
/// empty map.
struct Probe<'a>(Option<&'a mut Option<Ty>>);

/// The one item of a probed sequence, until it was given, and the slot for its
/// type.
struct ProbeItem<'a> {
    left: bool,
    slot: Option<&'a mut Option<Ty>>,
}

/// The fields of a probed struct, and the types recorded for them so far (when
/// types are recorded).
struct ProbeFields<'a> {
    fields: &'static [&'static str],
    current: &'static str,
    types: Option<&'a mut Vec<(&'static str, Ty)>>,
}

impl Probe<'_> {
    fn record(&mut self, ty: Ty) {
        if let Some(slot) = &mut self.0 {
            **slot = Some(ty);
        }
    }
}

impl<'de> de::SeqAccess<'de> for ProbeItem<'_> {
    type Error = de::value::Error;

    fn next_element_seed<S: de::DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Self::Error> {
        if !std::mem::take(&mut self.left) {
            return Ok(None);
        }
        seed.deserialize(Probe(self.slot.take())).map(Some)
    }
}

impl<'de> de::MapAccess<'de> for ProbeFields<'_> {
    type Error = de::value::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let Some((first, rest)) = self.fields.split_first() else {
            return Ok(None);
        };
        (self.current, self.fields) = (first, rest);
        seed.deserialize(de::value::BorrowedStrDeserializer::new(first))
            .map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let Some(types) = &mut self.types else {
            return seed.deserialize(Probe(None));
        };
        let mut slot = None;
        let value = seed.deserialize(Probe(Some(&mut slot)))?;
        let ty =
            slot.ok_or_else(|| de::Error::custom(format!("{} has no schema type", self.current)))?;
        types.push((self.current, ty));
        Ok(value)
    }
}

impl<'de> de::Deserializer<'de> for Probe<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Some(_) => Err(de::Error::custom("a value of no schema type")),
            None => v.visit_unit(),
        }
    }
    fn deserialize_bool<V: Visitor<'de>>(mut self, v: V) -> Result<V::Value, Self::Error> {
        self.record(Ty::Bool);
        v.visit_bool(true)
    }
    fn deserialize_i64<V: Visitor<'de>>(mut self, v: V) -> Result<V::Value, Self::Error> {
        self.record(Ty::Number);
        v.visit_i64(1)
    }
    fn deserialize_u64<V: Visitor<'de>>(mut self, v: V) -> Result<V::Value, Self::Error> {
        self.record(Ty::Number);
        v.visit_u64(1)
    }
    fn deserialize_f64<V: Visitor<'de>>(mut self, v: V) -> Result<V::Value, Self::Error> {
        self.record(Ty::Number);
        v.visit_f64(1.5)
    }
    fn deserialize_str<V: Visitor<'de>>(mut self, v: V) -> Result<V::Value, Self::Error> {
        self.record(Ty::String);
        v.visit_str("x")
    }
    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        self.deserialize_str(v)
    }
    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        v.visit_some(self)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, Self::Error> {
        v.visit_newtype_struct(self)
    }
    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        let Some(slot) = self.0 else {
            return v.visit_seq(ProbeItem {
                left: true,
                slot: None,
            });
        };
        let mut item = None;
        let value = v.visit_seq(ProbeItem {
            left: true,
            slot: Some(&mut item),
        })?;
        let item = item.ok_or_else(|| de::Error::custom("a list item of no schema type"))?;
        *slot = Some(Ty::list(item));
        Ok(value)
    }
    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Some(_) => self.deserialize_any(v),
            None => v.visit_map(ProbeFields {
                fields: &[],
                current: "",
                types: None,
            }),
        }
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Self::Error> {
        let Some(slot) = self.0 else {
            return v.visit_map(ProbeFields {
                fields,
                current: "",
                types: None,
            });
        };
        let mut types = Vec::new();
        let value = v.visit_map(ProbeFields {
            fields,
            current: "",
            types: Some(&mut types),
        })?;
        *slot = Some(Ty::Object(types));
        Ok(value)
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i128 u8 u16 u32 u128 f32 char bytes byte_buf unit unit_struct tuple
        tuple_struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::{timeouts_block, Attr, BlockSpec, Nesting, Ty};
    use crate::obj;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Item {
        name: Option<String>,
        port: Option<i64>,
    }

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Sample {
        id: Option<String>,
        size_gb: Option<i64>,
        ratio: Option<f64>,
        #[serde(rename = "type")]
        kind: Option<String>,
        tags: Option<Vec<String>>,
        item: Vec<Item>,
        timeouts: Vec<Timeouts>,
    }

    #[test]
    fn a_structs_schema_type_is_derived_from_its_fields() {
        #[derive(Deserialize)]
        #[allow(dead_code)] // only its shape is read
        struct Object {
            id: i64,
            #[serde(rename = "type")]
            kind: Option<String>,
            ratio: f64,
            on: bool,
            tags: Vec<String>,
            port: Field<i64>,
            items: Option<Vec<Item>>,
        }
        let item = Ty::Object(vec![("name", Ty::String), ("port", Ty::Number)]);
        assert_eq!(ty_of::<Item>(), item);
        assert_eq!(
            ty_of::<Object>(),
            Ty::Object(vec![
                ("id", Ty::Number),
                ("type", Ty::String),
                ("ratio", Ty::Number),
                ("on", Ty::Bool),
                ("tags", Ty::list(Ty::String)),
                ("port", Ty::Number),
                ("items", Ty::list(item)),
            ])
        );
    }

    fn spec() -> SchemaSpec {
        SchemaSpec::new("t")
            .attr(Attr::computed("id", Ty::String))
            .attr(Attr::required("size_gb", Ty::Number))
            .attr(Attr::optional("ratio", Ty::Number))
            .attr(Attr::computed("type", Ty::String))
            .attr(Attr::optional("tags", Ty::list(Ty::String)))
            .block(BlockSpec::new(
                "item",
                Nesting::Set,
                vec![
                    Attr::required("name", Ty::String),
                    Attr::optional("port", Ty::Number),
                ],
            ))
            .block(timeouts_block(&["create"]))
    }

    #[test]
    fn round_trips_through_the_dynamic_object() {
        let sample = Sample {
            id: Some("d-1".into()),
            size_gb: Some(20),
            ratio: Some(0.5),
            kind: Some("snapshot".into()),
            tags: None,
            item: vec![Item {
                name: Some("a".into()),
                port: Some(80),
            }],
            timeouts: vec![Timeouts {
                create: Some("5m".into()),
                ..Timeouts::default()
            }],
        };
        let state = to_state(&sample);
        assert_eq!(state["size_gb"], Dyn::int(20));
        assert_eq!(state["type"], Dyn::str("snapshot"));
        assert_eq!(state["tags"], Dyn::Null);
        assert_eq!(
            state["item"],
            Dyn::List(vec![Dyn::Object(obj! {"name" => "a", "port" => 80i64})])
        );
        // Shaped to the schema as the adapter does, it still reads back.
        let shaped = spec().normalize(state);
        assert_eq!(from_state::<Sample>(&shaped).unwrap(), sample);
    }

    #[test]
    fn unknown_reads_as_none_and_numbers_read_as_integers() {
        let planned = spec().normalize(obj! {
            "id" => Dyn::Unknown,
            "size_gb" => Dyn::num(40.0),
            "ratio" => 2i64,
        });
        let sample: Sample = from_state(&planned).unwrap();
        assert_eq!(sample.id, None);
        assert_eq!(sample.size_gb, Some(40));
        assert_eq!(sample.ratio, Some(2.0));
        assert!(sample.item.is_empty());
    }

    #[derive(Serialize, Deserialize, Debug, PartialEq, Default)]
    #[serde(default)]
    struct Planned {
        id: Field<String>,
        port: Field<i64>,
        name: Option<String>,
        items: Vec<PlannedItem>,
    }

    #[derive(Serialize, Deserialize, Debug, PartialEq, Default)]
    #[serde(default)]
    struct PlannedItem {
        uuid: Field<String>,
    }

    #[test]
    fn fields_tell_unknown_from_null_and_round_trip() {
        let planned = obj! {
            "id" => Dyn::Unknown,
            "port" => Dyn::Null,
            "name" => Dyn::Unknown,
            "items" => vec![
                Dyn::Object(obj! {"uuid" => Dyn::Unknown}),
                Dyn::Object(obj! {"uuid" => "u-1"}),
            ],
        };
        let typed: Planned = from_state(&planned).unwrap();
        assert_eq!(typed.id, Field::Unknown);
        assert_eq!(typed.port, Field::Null);
        assert_eq!(typed.name, None);
        assert_eq!(typed.items[0].uuid, Field::Unknown);
        assert_eq!(typed.items[1].uuid, Field::Known("u-1".to_owned()));
        let back = to_state(&typed);
        assert_eq!(back["id"], Dyn::Unknown);
        assert_eq!(back["port"], Dyn::Null);
        assert_eq!(back["name"], Dyn::Null);
        assert_eq!(back["items"], planned["items"]);
        let known: Planned = from_state(&obj! {"port" => 8080i64}).unwrap();
        assert_eq!(known.port, Some(8080));
        assert_ne!(Field::<i64>::Unknown, None);
        assert_eq!(Field::<i64>::Null, None);
    }

    #[derive(Serialize, Deserialize, Debug, PartialEq, Default)]
    #[serde(default)]
    struct ItemView {
        name: Field<String>,
        port: Field<f64>,
    }

    #[derive(Serialize, Deserialize, Debug, PartialEq, Default)]
    #[serde(default)]
    struct View {
        size_gb: Field<f64>,
        tags: Field<Vec<Field<String>>>,
        item: Vec<ItemView>,
    }

    #[test]
    fn a_configuration_view_keeps_what_is_unknown() {
        let config = obj! {
            "id" => Dyn::Null,
            "size_gb" => Dyn::num(1.5),
            "tags" => vec![Dyn::Unknown, Dyn::str("a")],
            "item" => vec![
                Dyn::Unknown,
                Dyn::Object(obj! {"name" => "b", "port" => Dyn::Unknown}),
                // A number that is not exactly a float64 comes as its text.
                Dyn::Object(obj! {"port" => "1.1"}),
            ],
        };
        // Attributes the view does not name are skipped; a fraction stays one.
        let view: View = from_config(&config).unwrap();
        assert_eq!(view.size_gb, Field::Known(1.5));
        assert_eq!(
            view.tags,
            Field::Known(vec![Field::Unknown, Field::Known("a".to_owned())])
        );
        // Every element kept, so an index is the configured one's; an element
        // not known yet has every field null.
        assert_eq!(view.item.len(), 3);
        assert_eq!(view.item[2].port, Field::Known(1.1));
        assert_eq!(view.item[0], ItemView::default());
        assert_eq!(view.item[1].port, Field::Unknown);
        assert_eq!(view.tags.to_dyn(), config["tags"]);
        assert_eq!(view.item[1].port.to_dyn(), Dyn::Unknown);
        let unknown: View =
            from_config(&obj! {"tags" => Dyn::Unknown, "item" => Dyn::Unknown}).unwrap();
        assert_eq!((unknown.tags, unknown.item), (Field::Unknown, Vec::new()));
        // A state reads the known items only.
        let state = spec().normalize(obj! {"tags" => vec![Dyn::Unknown, Dyn::str("a")]});
        let state: Sample = from_state(&state).unwrap();
        assert_eq!(state.tags, Some(vec!["a".to_owned()]));
    }

    #[derive(Serialize, Deserialize, Default)]
    #[serde(default)]
    struct MisspeltItem {
        nmae: Field<String>,
    }

    #[derive(Serialize, Deserialize, Default)]
    #[serde(default)]
    struct MisspeltView {
        size_gb: Field<f64>,
        item: Vec<MisspeltItem>,
        sizegb: Field<f64>,
    }

    #[test]
    fn a_configuration_view_names_only_the_schemas_names_at_every_depth() {
        assert_eq!(view_names_in_schema::<View>(&spec()), Ok(()));
        assert_eq!(view_names_in_schema::<NoChecks>(&spec()), Ok(()));
        let err = view_names_in_schema::<MisspeltView>(&spec()).unwrap_err();
        assert!(err.contains("item[].nmae is not in the schema"), "{err}");
        assert!(err.contains("sizegb is not in the schema"), "{err}");
        assert!(!err.contains("missing"), "{err}");
    }

    #[test]
    fn keys_the_struct_does_not_know_are_errors() {
        let err = from_state::<Sample>(&obj! {"id" => "x", "password_wo" => "s"}).unwrap_err();
        assert!(err.summary.contains("\"password_wo\""), "{}", err.summary);
        let err = from_state::<Sample>(&obj! {"size_gb" => "big"}).unwrap_err();
        assert!(err.summary.contains("does not match"), "{}", err.summary);
    }

    #[test]
    fn field_names_are_compared_with_the_schema() {
        assert_eq!(
            state_fields::<Sample>(),
            ["id", "size_gb", "ratio", "type", "tags", "item", "timeouts"]
        );
        assert_eq!(state_fields_match::<Sample>(&spec()), Ok(()));
        let fewer = spec().attr(Attr::optional("password_wo", Ty::String));
        let err = state_fields_match::<Sample>(&fewer).unwrap_err();
        assert!(
            err.contains("missing from the struct: [\"password_wo\"]"),
            "{err}"
        );
        let err = state_fields_match::<Item>(&spec()).unwrap_err();
        assert!(
            err.contains("not in the schema: [\"name\", \"port\"]"),
            "{err}"
        );
    }
}
