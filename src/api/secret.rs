//! `Secret`: a string that never prints. The API key, passwords, service secrets
//! and S3 secret keys are held in it, so no `Debug` output, log line or error
//! text can show them by accident; `expose` is the one way to read the value.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value, for the one place that must send or store it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret(value.to_owned())
    }
}

impl PartialEq<str> for Secret {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Secret {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// Serialized as the plain string (the models round-trip the API's payloads).
impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Any JSON value: a string as it is, a number or boolean as its text, `null` as
/// empty, anything else as its JSON text. It never fails, so a decode error can
/// never quote a secret.
impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
        Ok(Secret(match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => s,
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret:?}"), "***");
        assert_eq!(format!("{:?}", Some(&secret)), "Some(***)");
        assert_eq!(secret.expose(), "hunter2");
        assert_eq!(secret, "hunter2");
    }

    #[test]
    fn decodes_leniently() {
        let s: Secret = serde_json::from_str(r#""abc""#).unwrap();
        assert_eq!(s.expose(), "abc");
        let n: Secret = serde_json::from_str("1234").unwrap();
        assert_eq!(n.expose(), "1234");
        let null: Secret = serde_json::from_str("null").unwrap();
        assert!(null.is_empty());
        assert_eq!(serde_json::to_string(&s).unwrap(), r#""abc""#);
    }
}
