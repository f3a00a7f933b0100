//! Lenient serde helpers for API responses.
//!
//! The three published API documents and the live API disagree on scalar types: ids are
//! numbers in one place and strings in another, booleans arrive as `true`, `1`, `"True"` or
//! `"false"`, and almost any field may be `null` or missing. Every helper here accepts all of
//! those spellings; use them with `#[serde(deserialize_with = "...")]` on a field of a struct
//! that also carries `#[serde(default)]` (a *missing* key never reaches the helper, it takes the
//! struct's `Default`; a `null` value does reach it and becomes the default / `None`).
//!
//! | helper            | target              | accepts                                                    |
//! |-------------------|---------------------|------------------------------------------------------------|
//! | [`int`]           | `i64`               | integer, integral float, numeric string, bool; null/"" → 0 |
//! | [`opt_int`]       | `Option<i64>`       | same; null/"" → `None`                                     |
//! | [`float`]         | `f64`               | number, numeric string, bool; null/"" → 0.0                |
//! | [`opt_float`]     | `Option<f64>`       | same; null/"" → `None`                                     |
//! | [`string`]        | `String`            | string, number, bool; null → ""                            |
//! | [`opt_string`]    | `Option<String>`    | same; null → `None` ("" stays `Some("")`)                  |
//! | [`bool`]          | `bool`              | bool, number (≠0), "true"/"True"/"1"/"yes"/"false"/…; null → false |
//! | [`opt_bool`]      | `Option<bool>`      | same; null/"" → `None`                                     |
//! | [`string_vec`]    | `Vec<String>`       | array of string/number/bool (nulls dropped); null → `[]`   |
//! | [`opt_string_vec`]| `Option<Vec<String>>` | same; null → `None`                                      |
//! | [`null_as_default`]| any `T: Default`   | `T`'s own format; null → `T::default()`                    |
//!
//! A model declared with `model!` (`super::model`) needs none of these by name: [`lenient`]
//! picks the helper by each field's type ([`Lenient`]).

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};

/// The methods every lenient visitor below shares (each visits into an `Option`): `null`
/// (unit or none) is `None`, and `Some(x)` is `x` visited by the same visitor.
macro_rules! null_is_none {
    () => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    };
}

/// Whether a (trimmed) string stands for no value: `""`, `"null"` or `"none"`, in any case.
fn blank(t: &str) -> bool {
    t.is_empty() || t.eq_ignore_ascii_case("null") || t.eq_ignore_ascii_case("none")
}

// ---------------------------------------------------------------------------------------------
// integers

struct IntVisitor;

impl<'de> Visitor<'de> for IntVisitor {
    type Value = Option<i64>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an integer, an integral float, a numeric string, a boolean or null")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        i64::try_from(v)
            .map(Some)
            .map_err(|_| E::custom(format!("integer {v} out of range for i64")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        float_to_int(v)
            .map(Some)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Float(v), &"an integral number"))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(i64::from(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let t = v.trim();
        if blank(t) {
            return Ok(None);
        }
        if let Ok(i) = t.parse::<i64>() {
            return Ok(Some(i));
        }
        if let Some(i) = t.parse::<f64>().ok().and_then(float_to_int) {
            return Ok(Some(i));
        }
        match parse_bool_str(t) {
            Some(b) => Ok(Some(i64::from(b))),
            None => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }

    null_is_none!();
}

fn float_to_int(v: f64) -> Option<i64> {
    if v.is_finite() && v.fract() == 0.0 && v >= i64::MIN as f64 && v <= i64::MAX as f64 {
        Some(v as i64)
    } else {
        None
    }
}

/// `i64` from an integer, integral float, numeric string or bool; `null` and `""` give 0.
pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(d.deserialize_any(IntVisitor)?.unwrap_or_default())
}

/// `Option<i64>` from an integer, integral float, numeric string or bool; `null` and `""` give `None`.
pub fn opt_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    d.deserialize_any(IntVisitor)
}

// ---------------------------------------------------------------------------------------------
// floats

struct FloatVisitor;

impl<'de> Visitor<'de> for FloatVisitor {
    type Value = Option<f64>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number, a numeric string, a boolean or null")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(if v { 1.0 } else { 0.0 }))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let t = v.trim();
        if blank(t) {
            return Ok(None);
        }
        t.parse::<f64>()
            .map(Some)
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }

    null_is_none!();
}

/// `f64` from a number, numeric string or bool; `null` and `""` give 0.0.
pub fn float<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(d.deserialize_any(FloatVisitor)?.unwrap_or_default())
}

/// `Option<f64>` from a number, numeric string or bool; `null` and `""` give `None`.
pub fn opt_float<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    d.deserialize_any(FloatVisitor)
}

// ---------------------------------------------------------------------------------------------
// strings

struct StringVisitor;

impl<'de> Visitor<'de> for StringVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string, a number, a boolean or null")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(match float_to_int(v) {
            Some(i) => i.to_string(),
            None => v.to_string(),
        }))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    null_is_none!();
}

/// `String` from a string, number or bool; `null` gives `""`.
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(d.deserialize_any(StringVisitor)?.unwrap_or_default())
}

/// `Option<String>` from a string, number or bool; `null` gives `None` (`""` stays `Some("")`).
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    d.deserialize_any(StringVisitor)
}

// ---------------------------------------------------------------------------------------------
// booleans

fn parse_bool_str(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "t" | "yes" | "y" | "on" | "1" => Some(true),
        "false" | "f" | "no" | "n" | "off" | "0" => Some(false),
        _ => None,
    }
}

struct BoolVisitor;

impl<'de> Visitor<'de> for BoolVisitor {
    type Value = Option<bool>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a boolean, a number, a \"true\"/\"false\"-like string or null")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v != 0))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v != 0))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v != 0.0))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let t = v.trim();
        if blank(t) {
            return Ok(None);
        }
        parse_bool_str(t)
            .map(Some)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
    }

    null_is_none!();
}

/// `bool` from a bool, a number (non-zero is true) or a string such as `"True"`, `"false"`,
/// `"1"`, `"yes"`; `null` and `""` give `false`.
pub fn bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(d.deserialize_any(BoolVisitor)?.unwrap_or_default())
}

/// `Option<bool>`, as [`bool`]; `null` and `""` give `None`.
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    d.deserialize_any(BoolVisitor)
}

// ---------------------------------------------------------------------------------------------
// lists of strings

struct StringVecVisitor;

impl<'de> Visitor<'de> for StringVecVisitor {
    type Value = Option<Vec<String>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of strings or null")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element::<LenientString>()? {
            if let Some(s) = item.0 {
                out.push(s);
            }
        }
        Ok(Some(out))
    }

    null_is_none!();
}

struct LenientString(Option<String>);

impl<'de> Deserialize<'de> for LenientString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StringVisitor).map(LenientString)
    }
}

/// `Vec<String>` from an array whose items are strings, numbers or bools (null items are
/// dropped); `null` gives an empty list.
pub fn string_vec<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(d.deserialize_any(StringVecVisitor)?.unwrap_or_default())
}

/// `Option<Vec<String>>`, as [`string_vec`]; `null` gives `None`.
pub fn opt_string_vec<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    d.deserialize_any(StringVecVisitor)
}

// ---------------------------------------------------------------------------------------------
// anything else

/// Any `T` in its own format, with `null` treated as `T::default()` (e.g. `"storage": null`
/// becomes an empty list, `"settings": null` a default struct).
pub fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

// ---------------------------------------------------------------------------------------------
// by the field's type

/// A field type of an API model, with the helper above that decodes it leniently: the
/// scalars and string lists as in the table at the top, a model or a list of models (or of
/// other values) with [`null_as_default`], and the few types kept as they are (an opaque
/// `serde_json::Value`, an optional model, a [`Secret`](crate::api::Secret)) with their own
/// `Deserialize`. [`lenient`] picks the helper by the field's type, so `model!` gives every
/// field the same `deserialize_with` and the convention is stated once, here.
pub trait Lenient: Sized {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

/// Decodes a field of type `T` with the lenient helper its type calls for (see [`Lenient`]).
pub fn lenient<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<T, D::Error> {
    T::decode(d)
}

/// A struct declared with `model!` (`super::model`): a field of it, or a list of them, that
/// is `null` takes the default; an `Option` of it is `None` on `null`.
pub trait Model: de::DeserializeOwned + Default {}

/// `impl Lenient` for each type with the helper that decodes it.
macro_rules! lenient_by {
    ($($ty:ty => $helper:path,)*) => {
        $(
            impl Lenient for $ty {
                fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    $helper(d)
                }
            }
        )*
    };
}

lenient_by! {
    i64 => int,
    Option<i64> => opt_int,
    f64 => float,
    Option<f64> => opt_float,
    String => string,
    Option<String> => opt_string,
    bool => bool,
    Option<bool> => opt_bool,
    Vec<String> => string_vec,
    Option<Vec<String>> => opt_string_vec,
    Vec<i64> => null_as_default,
    Vec<serde_json::Value> => null_as_default,
    serde_json::Value => Deserialize::deserialize,
    Option<serde_json::Value> => Deserialize::deserialize,
    crate::api::Secret => Deserialize::deserialize,
}

impl<T: Model> Lenient for T {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        null_as_default(d)
    }
}

impl<T: Model> Lenient for Vec<T> {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        null_as_default(d)
    }
}

impl<T: Model> Lenient for Option<T> {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Deserialize::deserialize(d)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(default)]
    struct T {
        #[serde(deserialize_with = "super::int")]
        i: i64,
        #[serde(deserialize_with = "super::opt_int")]
        oi: Option<i64>,
        #[serde(deserialize_with = "super::float")]
        f: f64,
        #[serde(deserialize_with = "super::opt_float")]
        of: Option<f64>,
        #[serde(deserialize_with = "super::string")]
        s: String,
        #[serde(deserialize_with = "super::opt_string")]
        os: Option<String>,
        #[serde(deserialize_with = "super::bool")]
        b: bool,
        #[serde(deserialize_with = "super::opt_bool")]
        ob: Option<bool>,
        #[serde(deserialize_with = "super::string_vec")]
        v: Vec<String>,
        #[serde(deserialize_with = "super::opt_string_vec")]
        ov: Option<Vec<String>>,
        #[serde(deserialize_with = "super::null_as_default")]
        n: Vec<i64>,
    }

    fn t(v: serde_json::Value) -> T {
        T::deserialize(&v).unwrap()
    }

    #[test]
    fn missing_keys_take_defaults() {
        assert_eq!(t(json!({})), T::default());
    }

    #[test]
    fn nulls_take_defaults() {
        let x = t(
            json!({"i": null, "oi": null, "f": null, "of": null, "s": null, "os": null,
                         "b": null, "ob": null, "v": null, "ov": null, "n": null}),
        );
        assert_eq!(x, T::default());
    }

    #[test]
    fn numbers_from_strings_and_floats() {
        let x = t(json!({"i": "42", "oi": 7.0, "f": "2.5", "of": 3, "s": 129072, "os": 1.5}));
        assert_eq!((x.i, x.oi, x.f, x.of), (42, Some(7), 2.5, Some(3.0)));
        assert_eq!((x.s.as_str(), x.os.as_deref()), ("129072", Some("1.5")));
        let x = t(json!({"i": " -3 ", "oi": "", "f": 1, "of": "", "s": 7.0}));
        assert_eq!(
            (x.i, x.oi, x.f, x.of, x.s.as_str()),
            (-3, None, 1.0, None, "7")
        );
        let x = t(json!({"i": "12.0", "oi": true}));
        assert_eq!((x.i, x.oi), (12, Some(1)));
    }

    #[test]
    fn non_integral_is_an_error() {
        assert!(T::deserialize(&json!({"i": 2.5})).is_err());
        assert!(T::deserialize(&json!({"i": "abc"})).is_err());
        assert!(T::deserialize(&json!({"f": "abc"})).is_err());
    }

    #[test]
    fn bools_in_many_spellings() {
        for (v, want) in [
            (json!(true), true),
            (json!(1), true),
            (json!(0), false),
            (json!("True"), true),
            (json!("False"), false),
            (json!("true"), true),
            (json!("0"), false),
            (json!("yes"), true),
            (json!(""), false),
        ] {
            assert_eq!(t(json!({ "b": v.clone() })).b, want, "{v}");
        }
        assert_eq!(t(json!({"ob": "True"})).ob, Some(true));
        assert_eq!(t(json!({"ob": ""})).ob, None);
        assert!(T::deserialize(&json!({"b": "maybe"})).is_err());
    }

    #[test]
    fn string_lists() {
        let x = t(json!({"v": ["a", 1, null, true], "ov": []}));
        assert_eq!(x.v, vec!["a", "1", "true"]);
        assert_eq!(x.ov, Some(vec![]));
        assert_eq!(t(json!({"s": true})).s, "true");
    }

    #[test]
    fn works_with_a_json_str_deserializer_too() {
        let x: T = serde_json::from_str(r#"{"i":"5","b":"True","os":null,"v":["x"]}"#).unwrap();
        assert_eq!(
            (x.i, x.b, x.os, x.v),
            (5, true, None, vec!["x".to_string()])
        );
    }
}
