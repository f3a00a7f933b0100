//! A dynamic Terraform value, decoded from and encoded to the plugin protocol's
//! msgpack (or JSON, for state upgrades) without a Rust type per resource.
//!
//! `tf-provider`'s typed values use `i64` for numbers and need one serde struct per
//! resource; a dynamic value lets the plan logic be written once for every resource.

use std::collections::BTreeMap;

#[cfg(test)]
use anyhow::{anyhow, bail, Result};

pub type Obj = BTreeMap<String, Dyn>;

#[derive(Clone, Debug, PartialEq, Default)]
pub enum Dyn {
    #[default]
    Null,
    /// Not known until apply (msgpack extension 0, or 12 for refined unknowns).
    Unknown,
    Bool(bool),
    Number(f64),
    String(String),
    /// Lists, sets and tuples.
    List(Vec<Dyn>),
    /// Objects and maps.
    Object(Obj),
}

impl Dyn {
    pub fn str(s: impl Into<String>) -> Dyn {
        Dyn::String(s.into())
    }

    pub fn opt_str(s: Option<impl Into<String>>) -> Dyn {
        s.map(|s| Dyn::String(s.into())).unwrap_or(Dyn::Null)
    }

    /// An empty string from the API means "not set".
    pub fn non_empty_str(s: &str) -> Dyn {
        if s.is_empty() {
            Dyn::Null
        } else {
            Dyn::str(s)
        }
    }

    pub fn num(n: impl Into<f64>) -> Dyn {
        Dyn::Number(n.into())
    }

    pub fn int(n: i64) -> Dyn {
        Dyn::Number(n as f64)
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Dyn::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Dyn::Unknown)
    }

    /// True when neither this value nor anything inside it is unknown.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Dyn::Unknown => false,
            Dyn::List(items) => items.iter().all(Dyn::is_wholly_known),
            Dyn::Object(map) => map.values().all(Dyn::is_wholly_known),
            _ => true,
        }
    }

    /// The value with every unknown part null: what a partial state after a
    /// failed create may hold (Terraform refuses unknowns after apply).
    pub fn unknown_as_null(self) -> Dyn {
        match self {
            Dyn::Unknown => Dyn::Null,
            Dyn::List(items) => Dyn::List(items.into_iter().map(Dyn::unknown_as_null).collect()),
            Dyn::Object(map) => Dyn::Object(
                map.into_iter()
                    .map(|(k, v)| (k, v.unknown_as_null()))
                    .collect(),
            ),
            other => other,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Dyn::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Dyn::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        self.as_f64().map(|n| n as i64)
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Dyn::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_list(&self) -> &[Dyn] {
        match self {
            Dyn::List(items) => items,
            _ => &[],
        }
    }

    pub fn as_obj(&self) -> Option<&Obj> {
        match self {
            Dyn::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The attribute `key` of an object, `Null` for anything else.
    pub fn get(&self, key: &str) -> &Dyn {
        static NULL: Dyn = Dyn::Null;
        match self {
            Dyn::Object(map) => map.get(key).unwrap_or(&NULL),
            _ => &NULL,
        }
    }

    /// Strings of a list or set, skipping nulls and unknowns.
    pub fn string_items(&self) -> Vec<String> {
        self.as_list()
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    }

    #[cfg(test)]
    pub fn from_msgpack(bytes: &[u8]) -> Result<Dyn> {
        if bytes.is_empty() {
            return Ok(Dyn::Null);
        }
        let mut cursor = bytes;
        let value = rmpv::decode::read_value(&mut cursor)
            .map_err(|e| anyhow!("invalid msgpack value from Terraform: {e}"))?;
        Dyn::from_rmpv(value)
    }

    #[cfg(test)]
    fn from_rmpv(value: rmpv::Value) -> Result<Dyn> {
        Ok(match value {
            rmpv::Value::Nil => Dyn::Null,
            rmpv::Value::Boolean(b) => Dyn::Bool(b),
            rmpv::Value::Integer(i) => Dyn::Number(
                i.as_i64()
                    .map(|v| v as f64)
                    .or_else(|| i.as_u64().map(|v| v as f64))
                    .unwrap_or_default(),
            ),
            rmpv::Value::F32(f) => Dyn::Number(f as f64),
            rmpv::Value::F64(f) => Dyn::Number(f),
            // cty encodes numbers that do not fit a float as decimal strings.
            rmpv::Value::String(s) => Dyn::String(s.into_str().unwrap_or_default()),
            rmpv::Value::Binary(_) => bail!("unexpected binary value from Terraform"),
            rmpv::Value::Array(items) => Dyn::List(
                items
                    .into_iter()
                    .map(Dyn::from_rmpv)
                    .collect::<Result<_>>()?,
            ),
            rmpv::Value::Map(entries) => {
                let mut map = Obj::new();
                for (k, v) in entries {
                    let key = match k {
                        rmpv::Value::String(s) => s.into_str().unwrap_or_default(),
                        other => bail!("unexpected map key from Terraform: {other}"),
                    };
                    map.insert(key, Dyn::from_rmpv(v)?);
                }
                Dyn::Object(map)
            }
            rmpv::Value::Ext(_, _) => Dyn::Unknown,
        })
    }

    #[cfg(test)]
    pub fn to_msgpack(&self) -> Vec<u8> {
        let mut out = Vec::new();
        rmpv::encode::write_value(&mut out, &self.to_rmpv()).expect("writing to a Vec cannot fail");
        out
    }

    #[cfg(test)]
    fn to_rmpv(&self) -> rmpv::Value {
        match self {
            Dyn::Null => rmpv::Value::Nil,
            Dyn::Unknown => rmpv::Value::Ext(0, vec![0]),
            Dyn::Bool(b) => rmpv::Value::Boolean(*b),
            Dyn::Number(n) => {
                if n.fract() == 0.0 && n.abs() < 9.0e15 {
                    rmpv::Value::from(*n as i64)
                } else {
                    rmpv::Value::F64(*n)
                }
            }
            Dyn::String(s) => rmpv::Value::from(s.as_str()),
            Dyn::List(items) => rmpv::Value::Array(items.iter().map(Dyn::to_rmpv).collect()),
            Dyn::Object(map) => rmpv::Value::Map(
                map.iter()
                    .map(|(k, v)| (rmpv::Value::from(k.as_str()), v.to_rmpv()))
                    .collect(),
            ),
        }
    }

    pub fn from_json(value: &serde_json::Value) -> Dyn {
        match value {
            serde_json::Value::Null => Dyn::Null,
            serde_json::Value::Bool(b) => Dyn::Bool(*b),
            serde_json::Value::Number(n) => Dyn::Number(n.as_f64().unwrap_or_default()),
            serde_json::Value::String(s) => Dyn::String(s.clone()),
            serde_json::Value::Array(items) => {
                Dyn::List(items.iter().map(Dyn::from_json).collect())
            }
            serde_json::Value::Object(map) => Dyn::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Dyn::from_json(v)))
                    .collect(),
            ),
        }
    }
}

impl From<bool> for Dyn {
    fn from(b: bool) -> Self {
        Dyn::Bool(b)
    }
}

impl From<&str> for Dyn {
    fn from(s: &str) -> Self {
        Dyn::String(s.to_owned())
    }
}

impl From<String> for Dyn {
    fn from(s: String) -> Self {
        Dyn::String(s)
    }
}

impl From<i64> for Dyn {
    fn from(n: i64) -> Self {
        Dyn::int(n)
    }
}

impl From<f64> for Dyn {
    fn from(n: f64) -> Self {
        Dyn::Number(n)
    }
}

impl<T: Into<Dyn>> From<Option<T>> for Dyn {
    fn from(v: Option<T>) -> Self {
        v.map(Into::into).unwrap_or(Dyn::Null)
    }
}

impl From<Obj> for Dyn {
    fn from(m: Obj) -> Self {
        Dyn::Object(m)
    }
}

impl From<Vec<Dyn>> for Dyn {
    fn from(v: Vec<Dyn>) -> Self {
        Dyn::List(v)
    }
}

/// Builds an object: `obj! { "name" => "x", "size" => 3i64 }`.
#[macro_export]
macro_rules! obj {
    {$($key:expr => $value:expr),* $(,)?} => {{
        #[allow(unused_mut)]
        let mut map = $crate::framework::value::Obj::new();
        $( map.insert(String::from($key), $crate::framework::value::Dyn::from($value)); )*
        map
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msgpack_round_trip_keeps_unknowns_and_fractions() {
        let value = Dyn::Object(obj! {
            "name" => "web",
            "ratio" => 0.5,
            "count" => 3i64,
            "id" => Dyn::Unknown,
            "tags" => vec![Dyn::str("a"), Dyn::Null],
        });
        let decoded = Dyn::from_msgpack(&value.to_msgpack()).unwrap();
        assert_eq!(decoded, value);
        assert!(!decoded.is_wholly_known());
        assert_eq!(decoded.get("count").as_i64(), Some(3));
        assert_eq!(decoded.get("ratio").as_f64(), Some(0.5));
    }

    #[test]
    fn refined_unknown_extension_decodes_as_unknown() {
        // cty writes refined unknowns as msgpack extension 12.
        let mut bytes = Vec::new();
        rmpv::encode::write_value(&mut bytes, &rmpv::Value::Ext(12, vec![0x81, 0x01, 0xc3]))
            .unwrap();
        assert_eq!(Dyn::from_msgpack(&bytes).unwrap(), Dyn::Unknown);
    }

    #[test]
    fn empty_bytes_are_null() {
        assert_eq!(Dyn::from_msgpack(&[]).unwrap(), Dyn::Null);
    }
}

/// rmp-serde writes a newtype struct of this name as a msgpack extension.
const MSGPACK_EXT: &str = "_ExtStruct";

struct ExtBytes;

impl serde::Serialize for ExtBytes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&[0])
    }
}

impl serde::Serialize for Dyn {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Dyn::Null => s.serialize_unit(),
            // Terraform's unknown value: msgpack extension 0.
            Dyn::Unknown => s.serialize_newtype_struct(MSGPACK_EXT, &(0i8, ExtBytes)),
            Dyn::Bool(b) => s.serialize_bool(*b),
            Dyn::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => s.serialize_i64(*n as i64),
            Dyn::Number(n) => s.serialize_f64(*n),
            Dyn::String(v) => s.serialize_str(v),
            Dyn::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Dyn::Object(map) => {
                let mut out = s.serialize_map(Some(map.len()))?;
                for (k, v) in map {
                    out.serialize_entry(k, v)?;
                }
                out.end()
            }
        }
    }
}

struct DynVisitor;

impl<'de> serde::de::Visitor<'de> for DynVisitor {
    type Value = Dyn;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a Terraform value")
    }
    fn visit_unit<E>(self) -> Result<Dyn, E> {
        Ok(Dyn::Null)
    }
    fn visit_none<E>(self) -> Result<Dyn, E> {
        Ok(Dyn::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Dyn, D::Error> {
        serde::Deserialize::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Dyn, E> {
        Ok(Dyn::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Dyn, E> {
        Ok(Dyn::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Dyn, E> {
        Ok(Dyn::Number(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Dyn, E> {
        Ok(Dyn::Number(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Dyn, E> {
        Ok(Dyn::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Dyn, E> {
        Ok(Dyn::String(v))
    }
    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Dyn, E> {
        String::from_utf8(v.to_vec())
            .map(Dyn::String)
            .map_err(|_| E::custom("unexpected binary value from Terraform"))
    }
    /// rmp-serde presents msgpack extensions (unknown values, refined or not) as a
    /// newtype struct.
    fn visit_newtype_struct<D: serde::Deserializer<'de>>(self, d: D) -> Result<Dyn, D::Error> {
        <serde::de::IgnoredAny as serde::Deserialize>::deserialize(d)?;
        Ok(Dyn::Unknown)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Dyn, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Dyn>()? {
            items.push(item);
        }
        Ok(Dyn::List(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Dyn, A::Error> {
        let mut out = Obj::new();
        while let Some((k, v)) = map.next_entry::<String, Dyn>()? {
            out.insert(k, v);
        }
        Ok(Dyn::Object(out))
    }
}

impl<'de> serde::Deserialize<'de> for Dyn {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Dyn, D::Error> {
        d.deserialize_any(DynVisitor)
    }
}

#[cfg(test)]
mod serde_tests {
    use super::*;

    #[test]
    fn rmp_serde_round_trip_matches_the_wire_format() {
        let value = Dyn::Object(obj! {
            "id" => Dyn::Unknown,
            "n" => 2i64,
            "f" => 1.5,
            "l" => vec![Dyn::str("x"), Dyn::Null, Dyn::Bool(true)],
        });
        // What tf-provider does with our state: rmp_serde in both directions.
        let bytes = rmp_serde::to_vec_named(&value).unwrap();
        assert_eq!(Dyn::from_msgpack(&bytes).unwrap(), value);
        let back: Dyn = rmp_serde::from_slice(&value.to_msgpack()).unwrap();
        assert_eq!(back, value);
        // Refined unknowns (extension 12) too.
        let mut refined = Vec::new();
        rmpv::encode::write_value(&mut refined, &rmpv::Value::Ext(12, vec![0x80])).unwrap();
        let unknown: Dyn = rmp_serde::from_slice(&refined).unwrap();
        assert_eq!(unknown, Dyn::Unknown);
        // State upgrades arrive as JSON.
        let json: Dyn = serde_json::from_str(r#"{"a":[1,null,"s"]}"#).unwrap();
        assert_eq!(json.get("a").as_list()[0], Dyn::int(1));
    }
}
