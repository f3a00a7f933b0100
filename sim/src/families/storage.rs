//! Object storage (global): buckets, the S3 user and its keys, the S3 API URL.

use serde_json::{json, Value};

use super::{global, Route};
use crate::http::{field_err, msg_err, no_content, ok, opt_int, Errs, Req, Resp, MISSING, NOT_INT};
use crate::state::{Account, SimState};
use crate::util;

pub struct Bucket {
    pub name: String,
    pub billing_account_id: i64,
    pub num_objects: i64,
    pub size_bytes: i64,
    pub created_at: String,
    pub modified_at: String,
}

impl Bucket {
    fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "size_bytes": self.size_bytes,
            "billing_account_id": self.billing_account_id,
            "num_objects": self.num_objects,
            "created_at": self.created_at,
            "modified_at": self.modified_at,
            "is_suspended": false,
        })
    }
}

pub struct S3Key {
    pub access_key: String,
    pub secret_key: String,
}

pub fn route(method: &str, segs: &[&str]) -> Option<Route> {
    match (method, segs) {
        ("GET", ["storage", "api", "s3"]) => {
            global(|_, _| ok(json!({"url": "https://s3.idcloudhost.com:8080/"})))
        }
        ("PUT", ["storage", "bucket"]) => global(create_bucket),
        ("PATCH", ["storage", "bucket"]) => global(modify_bucket),
        ("DELETE", ["storage", "bucket"]) => global(delete_bucket),
        ("GET", ["storage", "bucket"]) => global(get_bucket),
        ("GET", ["storage", "bucket", "list"]) => global(list_buckets),
        ("GET", ["storage", "user"]) => global(get_user),
        ("GET", ["storage", "user", "keys"]) => global(list_keys),
        ("POST", ["storage", "user", "keys"]) => global(generate_key),
        ("DELETE", ["storage", "user", "keys"]) => global(delete_key),
        _ => None,
    }
}

const BUCKET_NOT_FOUND: &str = "Bucket not found.";
const NO_STORAGE_ACCOUNT: &str = "Storage account not found.";

/// S3 bucket naming rules: 3-63 chars of `a-z0-9.-`, starting and ending alphanumeric,
/// no `..`, not an IPv4 address.
fn valid_bucket_name(n: &str) -> bool {
    let b = n.as_bytes();
    (3..=63).contains(&b.len())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'.' || *c == b'-')
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && !n.contains("..")
        && n.parse::<std::net::Ipv4Addr>().is_err()
}

/// Create the account's storage user (with one key pair) if it does not exist yet.
fn ensure_storage_user(acc: &mut Account) {
    if acc.s3_user_created.is_none() {
        acc.s3_user_created = Some(util::ts_millis_offset());
        acc.s3_keys.push(new_key());
    }
}

fn new_key() -> S3Key {
    S3Key {
        access_key: util::random_upper(20),
        secret_key: util::random_alnum(40),
    }
}

/// A field from the form body, falling back to the query string.
fn field<'a>(rq: &'a Req, k: &str) -> Option<&'a str> {
    rq.f_nonempty(k)
        .or_else(|| rq.q(k).filter(|v| !v.trim().is_empty()))
        .map(str::trim)
}

fn create_bucket(st: &mut SimState, rq: &Req) -> Resp {
    let mut errs = Errs::default();
    let name = rq.f_nonempty("name").map(|s| s.trim().to_string());
    match &name {
        None => errs.add("name", MISSING),
        Some(n) if !valid_bucket_name(n) => errs.add(
            "name",
            "Bucket name must be 3-63 characters of lower case letters, digits, '.' or '-', starting and ending with a letter or digit.",
        ),
        _ => {}
    }
    let billing = opt_int(rq, "billing_account_id", &mut errs);
    if !errs.is_empty() {
        return errs.into_resp();
    }
    let Some(name) = name else {
        return field_err("name", MISSING);
    };
    if st
        .accounts
        .values()
        .any(|a| a.buckets.iter().any(|b| b.name == name))
    {
        return msg_err(409, "Bucket with this name already exists.");
    }
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, BUCKET_NOT_FOUND);
    };
    let billing = billing
        .filter(|b| *b != 0)
        .unwrap_or_else(|| acc.default_billing_id());
    if !acc.has_billing(billing) {
        return field_err("billing_account_id", "Invalid billing account.");
    }
    ensure_storage_user(acc);
    let now = util::ts_millis_offset();
    let b = Bucket {
        name,
        billing_account_id: billing,
        num_objects: 0,
        size_bytes: 0,
        created_at: now.clone(),
        modified_at: now,
    };
    let out = b.to_json();
    acc.buckets.push(b);
    ok(out)
}

fn modify_bucket(st: &mut SimState, rq: &Req) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, BUCKET_NOT_FOUND);
    };
    let mut errs = Errs::default();
    let name = rq.f_nonempty("name").map(str::trim);
    if name.is_none() {
        errs.add("name", MISSING);
    }
    let billing = crate::http::req_int(rq, "billing_account_id", &mut errs);
    if !errs.is_empty() {
        return errs.into_resp();
    }
    let (Some(name), Some(billing)) = (name, billing) else {
        return field_err("name", MISSING);
    };
    if !acc.has_billing(billing) {
        return field_err("billing_account_id", "Invalid billing account.");
    }
    let Some(b) = acc.buckets.iter_mut().find(|b| b.name == name) else {
        return msg_err(404, BUCKET_NOT_FOUND);
    };
    b.billing_account_id = billing;
    b.modified_at = util::ts_millis_offset();
    ok(b.to_json())
}

fn delete_bucket(st: &mut SimState, rq: &Req) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, BUCKET_NOT_FOUND);
    };
    let Some(name) = field(rq, "name") else {
        return field_err("name", MISSING);
    };
    let Some(i) = acc.buckets.iter().position(|b| b.name == name) else {
        return msg_err(404, BUCKET_NOT_FOUND);
    };
    if acc.buckets[i].num_objects > 0 {
        return msg_err(
            409,
            "Bucket is not empty. Only empty buckets can be deleted.",
        );
    }
    acc.buckets.remove(i);
    no_content()
}

fn get_bucket(st: &mut SimState, rq: &Req) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, BUCKET_NOT_FOUND);
    };
    let Some(name) = field(rq, "name") else {
        return field_err("name", MISSING);
    };
    match acc.buckets.iter().find(|b| b.name == name) {
        Some(b) => ok(b.to_json()),
        None => msg_err(404, BUCKET_NOT_FOUND),
    }
}

fn list_buckets(st: &mut SimState, rq: &Req) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return ok(json!([]));
    };
    let billing = match field(rq, "billing_account_id") {
        None => None,
        Some(v) => match v.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => return field_err("billing_account_id", NOT_INT),
        },
    };
    ok(Value::Array(
        acc.buckets
            .iter()
            .filter(|b| billing.is_none_or(|x| b.billing_account_id == x))
            .map(Bucket::to_json)
            .collect(),
    ))
}

fn key_json(acc: &Account, k: &S3Key) -> Value {
    json!({
        "accessKey": k.access_key,
        "secretKey": k.secret_key,
        "userId": acc.email,
    })
}

fn keys_json(acc: &Account) -> Value {
    Value::Array(acc.s3_keys.iter().map(|k| key_json(acc, k)).collect())
}

fn get_user(st: &mut SimState, rq: &Req) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NO_STORAGE_ACCOUNT);
    };
    ensure_storage_user(acc);
    ok(json!({
        "caps": [],
        "displayName": acc.email,
        "email": "",
        "maxBuckets": 1000,
        "s3Credentials": keys_json(acc),
        "subusers": [],
        "suspended": 0,
        "swiftCredentials": [],
        "userId": acc.email,
    }))
}

fn list_keys(st: &mut SimState, rq: &Req) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NO_STORAGE_ACCOUNT);
    };
    if acc.s3_user_created.is_none() {
        return msg_err(404, NO_STORAGE_ACCOUNT);
    }
    ok(keys_json(acc))
}

fn generate_key(st: &mut SimState, rq: &Req) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NO_STORAGE_ACCOUNT);
    };
    if acc.s3_user_created.is_none() {
        return msg_err(404, NO_STORAGE_ACCOUNT);
    }
    acc.s3_keys.insert(0, new_key());
    ok(keys_json(acc))
}

fn delete_key(st: &mut SimState, rq: &Req) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NO_STORAGE_ACCOUNT);
    };
    if acc.s3_user_created.is_none() {
        return msg_err(404, NO_STORAGE_ACCOUNT);
    }
    let Some(k) = field(rq, "access_key") else {
        return field_err("access_key", MISSING);
    };
    let before = acc.s3_keys.len();
    acc.s3_keys.retain(|x| x.access_key != k);
    if acc.s3_keys.len() == before {
        return msg_err(404, "Access key not found.");
    }
    Resp {
        status: 200,
        body: None,
        headers: Vec::new(),
    }
}

/// Control: put `count` objects totalling `size_bytes` into a bucket (any account).
pub fn put_objects(st: &mut SimState, name: &str, count: i64, size: i64) -> Resp {
    for acc in st.accounts.values_mut() {
        if let Some(b) = acc.buckets.iter_mut().find(|b| b.name == name) {
            b.num_objects += count;
            b.size_bytes += size;
            b.modified_at = util::ts_millis_offset();
            return ok(b.to_json());
        }
    }
    msg_err(404, BUCKET_NOT_FOUND)
}

/// Control: empty a bucket (any account).
pub fn clear_objects(st: &mut SimState, name: &str) -> Resp {
    for acc in st.accounts.values_mut() {
        if let Some(b) = acc.buckets.iter_mut().find(|b| b.name == name) {
            b.num_objects = 0;
            b.size_bytes = 0;
            b.modified_at = util::ts_millis_offset();
            return ok(b.to_json());
        }
    }
    msg_err(404, BUCKET_NOT_FOUND)
}
