//! Request decoding and response building shared by every resource family.

use serde_json::{json, Map, Value};

/// A decoded API request, handed to the family handlers.
pub struct Req {
    pub method: String,
    /// Path as sent (with the location slug if any).
    pub path: String,
    /// Effective location slug (the account default when none was sent).
    pub slug: String,
    /// API key of the calling account.
    pub key: String,
    pub query: Vec<(String, String)>,
    /// Fields of an `application/x-www-form-urlencoded` body (empty otherwise).
    pub form: Vec<(String, String)>,
    /// Parsed body when it was sent as `application/json` and parsed.
    pub json: Option<Value>,
    /// True when a JSON content type was sent but the body did not parse.
    pub json_invalid: bool,
}

impl Req {
    pub fn q(&self, k: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.as_str())
    }

    /// A form field (first occurrence).
    pub fn f(&self, k: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.as_str())
    }

    /// A form field; an empty value counts as absent.
    pub fn f_nonempty(&self, k: &str) -> Option<&str> {
        self.f(k).filter(|v| !v.trim().is_empty())
    }

    /// Every value of a repeated form field.
    pub fn f_all(&self, k: &str) -> Vec<&str> {
        self.form
            .iter()
            .filter(|(a, _)| a == k)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The JSON body as an object (empty when absent or not an object).
    pub fn jobj(&self) -> Map<String, Value> {
        match &self.json {
            Some(Value::Object(m)) => m.clone(),
            _ => Map::new(),
        }
    }
}

/// A response produced by a handler.
pub struct Resp {
    pub status: u16,
    pub body: Option<Value>,
    pub headers: Vec<(String, String)>,
}

impl Resp {
    pub fn json(status: u16, body: Value) -> Resp {
        Resp {
            status,
            body: Some(body),
            headers: Vec::new(),
        }
    }

    pub fn with_header(mut self, k: &str, v: &str) -> Resp {
        self.headers.push((k.to_string(), v.to_string()));
        self
    }
}

pub fn ok(body: Value) -> Resp {
    Resp::json(200, body)
}

pub fn created(body: Value) -> Resp {
    Resp::json(201, body)
}

pub fn no_content() -> Resp {
    Resp {
        status: 204,
        body: None,
        headers: Vec::new(),
    }
}

pub fn success() -> Resp {
    ok(json!({"success": true}))
}

/// `{"errors": {"Error": msg}}` — the VM endpoints' error shape.
pub fn vm_err(status: u16, msg: impl Into<String>) -> Resp {
    Resp::json(status, json!({"errors": {"Error": msg.into()}}))
}

/// `{"message": msg}` — network, disk, floating IP, routing and auth errors.
pub fn msg_err(status: u16, msg: impl Into<String>) -> Resp {
    Resp::json(status, json!({"message": msg.into()}))
}

/// Per-field validation errors `{"errors": {"<field>": "..."}}`.
pub fn field_errs(errs: &[(String, String)]) -> Resp {
    let mut m = Map::new();
    for (k, v) in errs {
        m.entry(k.clone())
            .or_insert_with(|| Value::String(v.clone()));
    }
    Resp::json(400, json!({ "errors": Value::Object(m) }))
}

pub fn field_err(field: &str, msg: &str) -> Resp {
    field_errs(&[(field.to_string(), msg.to_string())])
}

pub const NO_ROUTE: &str = "no route and no API found with those values";

pub fn no_route() -> Resp {
    msg_err(404, NO_ROUTE)
}

/// Collects per-field validation errors.
#[derive(Default)]
pub struct Errs(pub Vec<(String, String)>);

impl Errs {
    pub fn add(&mut self, field: &str, msg: impl Into<String>) {
        if !self.0.iter().any(|(f, _)| f == field) {
            self.0.push((field.to_string(), msg.into()));
        }
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn into_resp(self) -> Resp {
        field_errs(&self.0)
    }
}

pub const MISSING: &str = "Missing data for required field.";
pub const NOT_INT: &str = "Not a valid integer.";
pub const NOT_BOOL: &str = "Not a valid boolean.";
pub const NOT_UUID: &str = "Not a valid UUID.";

/// Required integer form field.
pub fn req_int(rq: &Req, field: &str, errs: &mut Errs) -> Option<i64> {
    match rq.f_nonempty(field) {
        None => {
            errs.add(field, MISSING);
            None
        }
        Some(v) => match v.trim().parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errs.add(field, NOT_INT);
                None
            }
        },
    }
}

/// Optional integer form field.
pub fn opt_int(rq: &Req, field: &str, errs: &mut Errs) -> Option<i64> {
    match rq.f_nonempty(field) {
        None => None,
        Some(v) => match v.trim().parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errs.add(field, NOT_INT);
                None
            }
        },
    }
}

/// Optional boolean form field with a default.
pub fn opt_bool(rq: &Req, field: &str, default: bool, errs: &mut Errs) -> bool {
    match rq.f(field) {
        None => default,
        Some(v) if v.trim().is_empty() => default,
        Some(v) => match crate::util::parse_bool(v) {
            Some(b) => b,
            None => {
                errs.add(field, NOT_BOOL);
                default
            }
        },
    }
}

/// Required UUID form field (`uuid` of a VM and the like).
pub fn req_uuid(rq: &Req, field: &str, errs: &mut Errs) -> Option<String> {
    match rq.f_nonempty(field) {
        None => {
            errs.add(field, MISSING);
            None
        }
        Some(v) if crate::util::is_uuid(v.trim()) => Some(v.trim().to_ascii_lowercase()),
        Some(_) => {
            errs.add(field, NOT_UUID);
            None
        }
    }
}

/// Integer from a JSON value (accepts numeric strings, as the platform does).
pub fn json_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Decode a form body as the live API does: `+` is a literal plus (field notes: a
/// client sending `+` for spaces gets its cloud-init and SSH keys corrupted), only
/// `%20` is a space.
pub fn decode_form_body(s: &[u8]) -> Vec<(String, String)> {
    let literal_plus: Vec<u8> = s
        .iter()
        .flat_map(|&b| match b {
            b'+' => b"%2B".to_vec(),
            other => vec![other],
        })
        .collect();
    decode_form(&literal_plus)
}

/// Decode `application/x-www-form-urlencoded` (or a query string), keeping repeated keys.
pub fn decode_form(s: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(s)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}
