//! SSH keys (`/v1/user-resource/ssh_keys*`), global, JSON bodies.

use serde_json::{json, Value};

use super::{global, Route};
use crate::http::{field_err, msg_err, ok, Errs, Req, Resp, MISSING};
use crate::state::SimState;
use crate::util;

pub struct SshKey {
    pub uuid: String,
    pub name: String,
    pub public_key: String,
    pub created_at: String,
}

impl SshKey {
    fn to_json(&self, user_id: i64) -> Value {
        json!({
            "uuid": self.uuid,
            "name": self.name,
            "public_key": self.public_key,
            "user_id": user_id,
            "created_at": self.created_at,
        })
    }
}

pub fn route(method: &str, segs: &[&str]) -> Option<Route> {
    match (method, segs) {
        ("GET", ["user-resource", "ssh_keys"]) => global(list),
        ("POST", ["user-resource", "ssh_keys"]) => global(create),
        ("PATCH", ["user-resource", "ssh_keys", id]) => {
            let id = id.to_string();
            global(move |st, rq| rename(st, rq, &id))
        }
        ("DELETE", ["user-resource", "ssh_keys", id]) => {
            let id = id.to_string();
            global(move |st, rq| delete(st, rq, &id))
        }
        _ => None,
    }
}

const NOT_FOUND: &str = "SSH key not found.";
const DUPLICATE: &str = "SSH key with this name already exists.";

fn list(st: &mut SimState, rq: &Req) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return ok(json!([]));
    };
    let user_id = acc.user_id;
    ok(Value::Array(
        acc.ssh_keys.iter().map(|k| k.to_json(user_id)).collect(),
    ))
}

fn create(st: &mut SimState, rq: &Req) -> Resp {
    if rq.json_invalid {
        return msg_err(400, "Request body is not valid JSON.");
    }
    let b = rq.jobj();
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let user_id = acc.user_id;
    let mut errs = Errs::default();
    let s = |k: &str| {
        b.get(k)
            .and_then(Value::as_str)
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
    };
    let name = s("name");
    let public_key = s("public_key");
    if name.is_none() {
        errs.add("name", MISSING);
    }
    if public_key.is_none() {
        errs.add("public_key", MISSING);
    }
    let (Some(name), Some(public_key)) = (name, public_key) else {
        return errs.into_resp();
    };
    if acc.ssh_keys.iter().any(|k| k.name == name) {
        return msg_err(409, DUPLICATE);
    }
    let k = SshKey {
        uuid: util::uuid_v4(),
        name,
        public_key,
        created_at: util::ts_z(),
    };
    let out = k.to_json(user_id);
    acc.ssh_keys.push(k);
    ok(out)
}

fn rename(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    if rq.json_invalid {
        return msg_err(400, "Request body is not valid JSON.");
    }
    let b = rq.jobj();
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let user_id = acc.user_id;
    let Some(i) = acc
        .ssh_keys
        .iter()
        .position(|k| k.uuid.eq_ignore_ascii_case(id))
    else {
        return msg_err(404, NOT_FOUND);
    };
    match b.get("name") {
        None | Some(Value::Null) => {}
        Some(Value::String(n)) if !n.trim().is_empty() => {
            let n = n.trim().to_string();
            if acc
                .ssh_keys
                .iter()
                .enumerate()
                .any(|(j, k)| j != i && k.name == n)
            {
                return msg_err(409, DUPLICATE);
            }
            acc.ssh_keys[i].name = n;
        }
        Some(_) => return field_err("name", "Field may not be empty."),
    }
    ok(acc.ssh_keys[i].to_json(user_id))
}

fn delete(st: &mut SimState, rq: &Req, id: &str) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return msg_err(404, NOT_FOUND);
    };
    let before = acc.ssh_keys.len();
    acc.ssh_keys.retain(|k| !k.uuid.eq_ignore_ascii_case(id));
    if acc.ssh_keys.len() == before {
        return msg_err(404, NOT_FOUND);
    }
    Resp {
        status: 200,
        body: None,
        headers: Vec::new(),
    }
}
