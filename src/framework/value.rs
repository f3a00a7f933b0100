//! A dynamic Terraform value, decoded from and encoded to the plugin protocol's
//! msgpack (or JSON, for state upgrades) without a Rust type per resource.
//!
//! `tf-provider`'s typed values use `i64` for numbers and need one serde struct per
//! resource; a dynamic value lets the plan logic be written once for every resource.

use std::collections::BTreeMap;

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

    /// Decodes Terraform's msgpack encoding; unknown values (extension 0, or 12
    /// for refined unknowns) become `Unknown`. No bytes at all mean null.
    pub fn from_msgpack(bytes: &[u8]) -> Result<Dyn> {
        if bytes.is_empty() {
            return Ok(Dyn::Null);
        }
        let mut cursor = bytes;
        let value = rmpv::decode::read_value(&mut cursor)
            .map_err(|e| anyhow!("invalid msgpack value from Terraform: {e}"))?;
        Dyn::from_rmpv(value)
    }

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

    /// Encodes for Terraform: whole numbers as integers, unknowns as extension 0.
    pub fn to_msgpack(&self) -> Vec<u8> {
        let mut out = Vec::new();
        rmpv::encode::write_value(&mut out, &self.to_rmpv()).expect("writing to a Vec cannot fail");
        out
    }

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

    /// Decodes JSON (stored state handed over for upgrades and moves).
    pub fn from_json_bytes(bytes: &[u8]) -> Result<Dyn> {
        if bytes.is_empty() {
            return Ok(Dyn::Null);
        }
        let value: serde_json::Value = serde_json::from_slice(bytes)
            .map_err(|e| anyhow!("invalid JSON value from Terraform: {e}"))?;
        Ok(Dyn::from_json(&value))
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

#[cfg(test)]
mod wire_tests {
    use super::*;

    #[test]
    fn unknown_is_written_as_terraform_writes_it() {
        // fixext 1, extension type 0, one zero byte: cty's unknown value.
        assert_eq!(Dyn::Unknown.to_msgpack(), [0xd4, 0x00, 0x00]);
        assert_eq!(Dyn::Null.to_msgpack(), [0xc0]);
        assert_eq!(Dyn::from_msgpack(&[0xc0]).unwrap(), Dyn::Null);
    }

    #[test]
    fn refined_unknowns_inside_objects_decode_as_unknown() {
        // {"id": <unknown, refined: not null, prefix "vm-">}: extension 12 carries
        // a msgpack map of refinements.
        let refined = rmpv::Value::Ext(12, vec![0x82, 0x01, 0xc2, 0x02, 0xa3, b'v', b'm', b'-']);
        let object = rmpv::Value::Map(vec![
            (rmpv::Value::from("id"), refined),
            (rmpv::Value::from("size"), rmpv::Value::from(20)),
        ]);
        let mut bytes = Vec::new();
        rmpv::encode::write_value(&mut bytes, &object).unwrap();
        let value = Dyn::from_msgpack(&bytes).unwrap();
        assert_eq!(
            value,
            Dyn::Object(obj! {"id" => Dyn::Unknown, "size" => 20i64})
        );
        // Re-encoded, the refinement is dropped: a plain unknown.
        let again = Dyn::from_msgpack(&value.to_msgpack()).unwrap();
        assert_eq!(again, value);
    }

    #[test]
    fn numbers_keep_their_kind_on_the_wire() {
        let value = Dyn::List(vec![Dyn::int(1_200_132_376), Dyn::num(0.25), Dyn::int(-3)]);
        let bytes = value.to_msgpack();
        let raw = rmpv::decode::read_value(&mut bytes.as_slice()).unwrap();
        let items = raw.as_array().unwrap();
        assert_eq!(items[0].as_i64(), Some(1_200_132_376));
        assert_eq!(items[1].as_f64(), Some(0.25));
        assert!(items[1].is_f64());
        assert_eq!(Dyn::from_msgpack(&bytes).unwrap(), value);
    }

    #[test]
    fn json_state_decodes_to_the_same_values() {
        let json = br#"{"id":"vm-1","vcpu":2,"ratio":0.5,"tags":["a",null],"timeouts":[],"reserve_public_ip":true,"password":null}"#;
        let value = Dyn::from_json_bytes(json).unwrap();
        assert_eq!(
            value,
            Dyn::Object(obj! {
                "id" => "vm-1",
                "vcpu" => 2i64,
                "ratio" => 0.5,
                "tags" => vec![Dyn::str("a"), Dyn::Null],
                "timeouts" => Vec::<Dyn>::new(),
                "reserve_public_ip" => true,
                "password" => Dyn::Null,
            })
        );
        assert_eq!(Dyn::from_json_bytes(b"").unwrap(), Dyn::Null);
        assert!(Dyn::from_json_bytes(b"{nope").is_err());
    }
}
