//! A dynamic Terraform value, decoded from and encoded to the plugin protocol's
//! msgpack (or JSON, for state upgrades) without a Rust type per resource.
//!
//! `tf-provider`'s typed values use `i64` for numbers and need one serde struct per
//! resource; a dynamic value lets the plan logic be written once for every resource.

use std::collections::BTreeMap;

use anyhow::{anyhow, Result};

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

    /// The attributes of an object, none for anything else (null, unknown): what
    /// every adapter does first with the configuration or state Terraform sends.
    pub fn into_obj(self) -> Obj {
        match self {
            Dyn::Object(map) => map,
            _ => Obj::new(),
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
        msgpack::Reader { bytes, pos: 0 }
            .value(msgpack::MAX_DEPTH)
            .map_err(|e| anyhow!("invalid msgpack value from Terraform: {e}"))
    }

    /// Encodes for Terraform: whole numbers as integers, unknowns as extension 0.
    pub fn to_msgpack(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        msgpack::write(&mut out, self);
        out
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

/// Terraform's msgpack, read and written straight from and to `Dyn` (every value
/// of every RPC passes here: no intermediate tree, no copy of the strings).
/// The bytes are those of `rmpv`'s writer: the smallest form of each integer,
/// string, array and map length; fractions as float 64; unknown as fixext 1.
mod msgpack {
    use super::{Dyn, Obj};
    use anyhow::{bail, Result};

    /// Nesting deeper than this is refused (as `rmpv` does), not a stack overflow.
    pub const MAX_DEPTH: usize = 1024;

    pub struct Reader<'a> {
        pub bytes: &'a [u8],
        pub pos: usize,
    }

    impl<'a> Reader<'a> {
        fn take(&mut self, n: usize) -> Result<&'a [u8]> {
            match self.bytes.get(self.pos..self.pos.saturating_add(n)) {
                Some(taken) => {
                    self.pos += n;
                    Ok(taken)
                }
                None => bail!("the value ends early"),
            }
        }

        fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
            Ok(self.take(N)?.try_into().expect("N bytes"))
        }

        fn u8(&mut self) -> Result<u8> {
            Ok(self.take(1)?[0])
        }

        fn u16(&mut self) -> Result<usize> {
            Ok(u16::from_be_bytes(self.array()?) as usize)
        }

        fn u32(&mut self) -> Result<usize> {
            Ok(u32::from_be_bytes(self.array()?) as usize)
        }

        fn string(&mut self, len: usize) -> Result<String> {
            // Like rmpv's `into_str().unwrap_or_default()`: invalid UTF-8 reads as "".
            Ok(std::str::from_utf8(self.take(len)?)
                .map(str::to_owned)
                .unwrap_or_default())
        }

        /// Skips an extension's type and data: any extension is an unknown.
        fn extension(&mut self, len: usize) -> Result<Dyn> {
            self.take(1 + len)?;
            Ok(Dyn::Unknown)
        }

        fn list(&mut self, len: usize, depth: usize) -> Result<Dyn> {
            // Each element takes at least one byte: a length beyond what is left
            // is a truncated value, never a huge allocation.
            let mut items = Vec::with_capacity(len.min(self.bytes.len() - self.pos));
            for _ in 0..len {
                items.push(self.value(depth)?);
            }
            Ok(Dyn::List(items))
        }

        fn object(&mut self, len: usize, depth: usize) -> Result<Dyn> {
            let mut map = Obj::new();
            for _ in 0..len {
                let key = match self.u8()? {
                    m @ 0xa0..=0xbf => self.string((m & 0x1f) as usize)?,
                    0xd9 => {
                        let n = self.u8()? as usize;
                        self.string(n)?
                    }
                    0xda => {
                        let n = self.u16()?;
                        self.string(n)?
                    }
                    0xdb => {
                        let n = self.u32()?;
                        self.string(n)?
                    }
                    m => bail!("unexpected map key from Terraform (msgpack marker {m:#04x})"),
                };
                let value = self.value(depth)?;
                map.insert(key, value);
            }
            Ok(Dyn::Object(map))
        }

        pub fn value(&mut self, depth: usize) -> Result<Dyn> {
            let Some(depth) = depth.checked_sub(1) else {
                bail!("the value is nested more than {MAX_DEPTH} deep");
            };
            let number = |n: f64| Ok(Dyn::Number(n));
            match self.u8()? {
                m @ 0x00..=0x7f => number(m as f64),
                m @ 0x80..=0x8f => self.object((m & 0x0f) as usize, depth),
                m @ 0x90..=0x9f => self.list((m & 0x0f) as usize, depth),
                m @ 0xa0..=0xbf => self.string((m & 0x1f) as usize).map(Dyn::String),
                0xc0 => Ok(Dyn::Null),
                0xc1 => bail!("reserved msgpack marker 0xc1"),
                0xc2 => Ok(Dyn::Bool(false)),
                0xc3 => Ok(Dyn::Bool(true)),
                0xc4..=0xc6 => bail!("unexpected binary value from Terraform"),
                0xc7 => {
                    let n = self.u8()? as usize;
                    self.extension(n)
                }
                0xc8 => {
                    let n = self.u16()?;
                    self.extension(n)
                }
                0xc9 => {
                    let n = self.u32()?;
                    self.extension(n)
                }
                0xca => number(f32::from_be_bytes(self.array()?) as f64),
                0xcb => number(f64::from_be_bytes(self.array()?)),
                0xcc => number(self.u8()? as f64),
                0xcd => number(self.u16()? as f64),
                0xce => number(self.u32()? as f64),
                0xcf => number(u64::from_be_bytes(self.array()?) as f64),
                0xd0 => number(self.u8()? as i8 as f64),
                0xd1 => number(i16::from_be_bytes(self.array()?) as f64),
                0xd2 => number(i32::from_be_bytes(self.array()?) as f64),
                0xd3 => number(i64::from_be_bytes(self.array()?) as f64),
                // fixext 1, 2, 4, 8, 16
                m @ 0xd4..=0xd8 => self.extension(1 << (m - 0xd4)),
                0xd9 => {
                    let n = self.u8()? as usize;
                    self.string(n).map(Dyn::String)
                }
                0xda => {
                    let n = self.u16()?;
                    self.string(n).map(Dyn::String)
                }
                0xdb => {
                    let n = self.u32()?;
                    self.string(n).map(Dyn::String)
                }
                0xdc => {
                    let n = self.u16()?;
                    self.list(n, depth)
                }
                0xdd => {
                    let n = self.u32()?;
                    self.list(n, depth)
                }
                0xde => {
                    let n = self.u16()?;
                    self.object(n, depth)
                }
                0xdf => {
                    let n = self.u32()?;
                    self.object(n, depth)
                }
                m @ 0xe0..=0xff => number(m as i8 as f64),
            }
        }
    }

    /// A length in the smallest of its three forms: `fix` (the marker with the
    /// length in its low bits, up to `fix_max`), then 8 (strings only), 16 and
    /// 32 bits.
    fn len(out: &mut Vec<u8>, n: usize, fix: u8, fix_max: usize, m8: Option<u8>, m16: u8) {
        if n <= fix_max {
            out.push(fix | n as u8);
        } else if let (Some(m8), true) = (m8, n <= u8::MAX as usize) {
            out.extend_from_slice(&[m8, n as u8]);
        } else if n <= u16::MAX as usize {
            out.push(m16);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        } else {
            out.push(m16 + 1);
            out.extend_from_slice(&(n as u32).to_be_bytes());
        }
    }

    fn str(out: &mut Vec<u8>, s: &str) {
        len(out, s.len(), 0xa0, 31, Some(0xd9), 0xda);
        out.extend_from_slice(s.as_bytes());
    }

    fn int(out: &mut Vec<u8>, n: i64) {
        match n {
            0..=0x7f => out.push(n as u8),
            0x80..=0xff => out.extend_from_slice(&[0xcc, n as u8]),
            0x100..=0xffff => {
                out.push(0xcd);
                out.extend_from_slice(&(n as u16).to_be_bytes());
            }
            0x1_0000..=0xffff_ffff => {
                out.push(0xce);
                out.extend_from_slice(&(n as u32).to_be_bytes());
            }
            0x1_0000_0000.. => {
                out.push(0xcf);
                out.extend_from_slice(&(n as u64).to_be_bytes());
            }
            -32..=-1 => out.push(n as i8 as u8),
            -128..=-33 => out.extend_from_slice(&[0xd0, n as i8 as u8]),
            -32768..=-129 => {
                out.push(0xd1);
                out.extend_from_slice(&(n as i16).to_be_bytes());
            }
            -2_147_483_648..=-32769 => {
                out.push(0xd2);
                out.extend_from_slice(&(n as i32).to_be_bytes());
            }
            _ => {
                out.push(0xd3);
                out.extend_from_slice(&n.to_be_bytes());
            }
        }
    }

    pub fn write(out: &mut Vec<u8>, value: &Dyn) {
        match value {
            Dyn::Null => out.push(0xc0),
            // fixext 1, extension type 0, one zero byte: cty's unknown value.
            Dyn::Unknown => out.extend_from_slice(&[0xd4, 0x00, 0x00]),
            Dyn::Bool(b) => out.push(if *b { 0xc3 } else { 0xc2 }),
            Dyn::Number(n) => {
                if n.fract() == 0.0 && n.abs() < 9.0e15 {
                    int(out, *n as i64)
                } else {
                    out.push(0xcb);
                    out.extend_from_slice(&n.to_be_bytes());
                }
            }
            Dyn::String(s) => str(out, s),
            Dyn::List(items) => {
                len(out, items.len(), 0x90, 15, None, 0xdc);
                for item in items {
                    write(out, item);
                }
            }
            Dyn::Object(map) => {
                len(out, map.len(), 0x80, 15, None, 0xde);
                for (key, item) in map {
                    str(out, key);
                    write(out, item);
                }
            }
        }
    }
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

    /// The encoding before the direct codec: through an `rmpv::Value` tree.
    fn rmpv_of(value: &Dyn) -> rmpv::Value {
        match value {
            Dyn::Null => rmpv::Value::Nil,
            Dyn::Unknown => rmpv::Value::Ext(0, vec![0]),
            Dyn::Bool(b) => rmpv::Value::Boolean(*b),
            Dyn::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => rmpv::Value::from(*n as i64),
            Dyn::Number(n) => rmpv::Value::F64(*n),
            Dyn::String(s) => rmpv::Value::from(s.as_str()),
            Dyn::List(items) => rmpv::Value::Array(items.iter().map(rmpv_of).collect()),
            Dyn::Object(map) => rmpv::Value::Map(
                map.iter()
                    .map(|(k, v)| (rmpv::Value::from(k.as_str()), rmpv_of(v)))
                    .collect(),
            ),
        }
    }

    /// Every size class of every kind of value (each length and integer at both
    /// edges of its form).
    fn every_form() -> Dyn {
        let mut ints = Vec::new();
        for edge in [0i64, 127, 255, 65_535, 4_294_967_295, 8_999_999_999_999_999] {
            ints.extend([edge, edge + 1, -edge, -edge - 1]);
        }
        ints.extend([
            -32,
            -33,
            -128,
            -129,
            -32_768,
            -32_769,
            -2_147_483_648,
            -2_147_483_649,
        ]);
        let mut numbers: Vec<Dyn> = ints.into_iter().map(Dyn::int).collect();
        numbers.extend([0.0123, 8.979, -0.5, 9.0e15, 1e300, f64::MIN_POSITIVE].map(Dyn::num));
        let strings = [0usize, 1, 31, 32, 255, 256, 65_535, 65_536]
            .map(|n| Dyn::str("é".repeat(n / 2) + &"x".repeat(n % 2)));
        let lists = [0usize, 15, 16, 65_535, 65_536].map(|n| Dyn::List(vec![Dyn::Null; n]));
        let objects = [0usize, 15, 16, 65_536].map(|n| {
            Dyn::Object(
                (0..n)
                    .map(|i| (format!("k{i}"), Dyn::Bool(i % 2 == 0)))
                    .collect(),
            )
        });
        Dyn::Object(obj! {
            "numbers" => numbers,
            "strings" => strings.to_vec(),
            "lists" => lists.to_vec(),
            "objects" => objects.to_vec(),
            "unknown" => Dyn::Unknown,
            "null" => Dyn::Null,
            "nested" => Dyn::Object(obj! {"a" => vec![Dyn::Object(obj! {"b" => Dyn::Unknown})]}),
        })
    }

    #[test]
    fn the_direct_codec_writes_the_bytes_rmpv_wrote_and_reads_them_back() {
        let value = every_form();
        let mut reference = Vec::new();
        rmpv::encode::write_value(&mut reference, &rmpv_of(&value)).unwrap();
        let bytes = value.to_msgpack();
        assert!(bytes == reference, "the encoding changed");
        assert_eq!(Dyn::from_msgpack(&bytes).unwrap(), value);
    }

    #[test]
    fn what_cty_writes_decodes_whatever_form_it_takes() {
        // Forms our writer never uses but cty's (vmihailenco/msgpack) may: signed
        // forms of positive integers, float 32, a big number as a decimal string,
        // extensions of every size, long strings as keys.
        let raw = rmpv::Value::Map(vec![
            (rmpv::Value::from("i8"), rmpv::Value::from(-5i64)),
            (rmpv::Value::from("f32"), rmpv::Value::F32(0.5)),
            (rmpv::Value::from("u64"), rmpv::Value::from(u64::MAX)),
            (
                rmpv::Value::from("big"),
                rmpv::Value::from("123456789012345678901234567890"),
            ),
            (
                rmpv::Value::from("k".repeat(40).as_str()),
                rmpv::Value::Ext(12, vec![1; 40]),
            ),
            (rmpv::Value::from("e2"), rmpv::Value::Ext(12, vec![1, 2])),
            (rmpv::Value::from("e3"), rmpv::Value::Ext(12, vec![1, 2, 3])),
        ]);
        let mut bytes = Vec::new();
        rmpv::encode::write_value(&mut bytes, &raw).unwrap();
        // Signed markers for non-negative integers, by hand.
        let signed: [(&[u8], f64); 4] = [
            (&[0xd0, 0x05], 5.0),
            (&[0xd1, 0x01, 0x00], 256.0),
            (&[0xd2, 0x00, 0x01, 0x00, 0x00], 65_536.0),
            (&[0xd3, 0, 0, 0, 1, 0, 0, 0, 0], 4_294_967_296.0),
        ];
        for (form, n) in signed {
            assert_eq!(Dyn::from_msgpack(form).unwrap(), Dyn::Number(n));
        }
        let value = Dyn::from_msgpack(&bytes).unwrap();
        assert_eq!(
            value,
            Dyn::Object(obj! {
                "i8" => -5i64,
                "f32" => 0.5,
                "u64" => u64::MAX as f64,
                "big" => "123456789012345678901234567890",
                "k".repeat(40) => Dyn::Unknown,
                "e2" => Dyn::Unknown,
                "e3" => Dyn::Unknown,
            })
        );
    }

    #[test]
    fn malformed_values_are_errors_not_panics() {
        let cases: [&[u8]; 8] = [
            &[0xc1],             // reserved marker
            &[0xc4, 0x01, 0x00], // binary
            &[0x92, 0x01],       // array announcing two, holding one
            &[0xdd, 0xff, 0xff, 0xff, 0xff],
            &[0x81, 0x01, 0x02], // a number as a key
            &[0xa5, b'a'],       // a string cut short
            &[0xcb, 0x00],       // a float cut short
            &[0xd4, 0x00],       // an extension without its data
        ];
        for bytes in cases {
            assert!(Dyn::from_msgpack(bytes).is_err(), "{bytes:?}");
        }
        let deep = [vec![0x91; 2000], vec![0xc0]].concat();
        assert!(Dyn::from_msgpack(&deep).is_err());
        let fine = [vec![0x91; 100], vec![0xc0]].concat();
        assert!(Dyn::from_msgpack(&fine).is_ok());
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
