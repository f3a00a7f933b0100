//! Control endpoints under `/__sim` (no API key needed, not logged).

use serde_json::{json, Value};

use crate::families::charging;
use crate::http::{msg_err, no_content, ok, Resp};
use crate::state::Faults;
use crate::{lock, Shared};

pub fn handle(shared: &Shared, method: &str, path: &str, body: &[u8]) -> Resp {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match (method, &segs[1..]) {
        ("GET", ["requests"]) => {
            let st = lock(shared);
            ok(serde_json::to_value(&st.log).unwrap_or(Value::Array(vec![])))
        }
        ("DELETE", ["requests"]) => {
            lock(shared).log.clear();
            no_content()
        }
        ("GET", ["faults"]) => {
            let st = lock(shared);
            ok(serde_json::to_value(&st.faults).unwrap_or(Value::Null))
        }
        ("POST", ["faults"]) | ("PUT", ["faults"]) => {
            let f: Faults = match serde_json::from_slice(body) {
                Ok(f) => f,
                Err(e) => return msg_err(400, format!("invalid faults body: {e}")),
            };
            if !(0.0..=1.0).contains(&f.error_rate) {
                return msg_err(400, "error_rate must be between 0.0 and 1.0");
            }
            if f.statuses.iter().any(|s| !(100..=599).contains(s)) {
                return msg_err(400, "statuses must be HTTP status codes");
            }
            let out = serde_json::to_value(&f).unwrap_or(Value::Null);
            lock(shared).set_faults(Some(f));
            ok(out)
        }
        ("DELETE", ["faults"]) => {
            lock(shared).set_faults(None);
            no_content()
        }
        ("GET", ["vms"]) => ok(guest_logins(&lock(shared))),
        ("POST", ["vms", uuid, "guest"]) => {
            let v: Value = match serde_json::from_slice(body) {
                Ok(v) => v,
                Err(e) => return msg_err(400, format!("invalid body: {e}")),
            };
            crate::families::vm::set_guest(&mut lock(shared), uuid, &v)
        }
        ("POST", ["vms", uuid, "backup"]) => {
            crate::families::vm::take_backup(&mut lock(shared), uuid)
        }
        ("GET", ["timing"]) => ok(json!({"time_factor": lock(shared).time_factor})),
        ("POST", ["timing"]) | ("PUT", ["timing"]) => {
            let factor = serde_json::from_slice::<Value>(body)
                .ok()
                .and_then(|v| v.get("time_factor").and_then(Value::as_f64));
            match factor {
                Some(f) if f >= 0.0 && f.is_finite() => {
                    lock(shared).time_factor = f;
                    ok(json!({"time_factor": f}))
                }
                _ => msg_err(400, "expected {\"time_factor\": a number >= 0}"),
            }
        }
        ("GET", ["pricing"]) => ok(lock(shared).policy.clone()),
        ("PUT", ["pricing"]) => {
            let v: Value = match serde_json::from_slice::<Value>(body) {
                Ok(v) if v["policy"].is_array() => v,
                _ => return msg_err(400, "expected a policy document {\"policy\": [...]}"),
            };
            let mut st = lock(shared);
            charging::tick(&mut st);
            st.policy = v.clone();
            charging::tick(&mut st);
            ok(v)
        }
        ("DELETE", ["pricing"]) => {
            let mut st = lock(shared);
            charging::tick(&mut st);
            st.policy = charging::documented_policy();
            charging::tick(&mut st);
            no_content()
        }
        ("DELETE", ["pricing", id]) => {
            let mut st = lock(shared);
            let Some(items) = st.policy["policy"].as_array_mut() else {
                return msg_err(404, "no policy");
            };
            let before = items.len();
            let wanted = id.parse::<i64>().ok();
            items.retain(|p| wanted.is_none() || p["policyId"].as_i64() != wanted);
            if items.len() == before {
                return msg_err(404, format!("no price with policyId {id}"));
            }
            charging::tick(&mut st);
            no_content()
        }
        ("GET", ["clock"]) => {
            let st = lock(shared);
            ok(json!({"hours": st.clock.now_hours(), "frozen": st.clock.frozen_at.is_some()}))
        }
        ("POST", ["clock"]) => {
            let v: Value = match serde_json::from_slice(body) {
                Ok(v) => v,
                Err(e) => return msg_err(400, format!("invalid body: {e}")),
            };
            let advance = v["advance_hours"].as_f64().unwrap_or(0.0);
            if advance < 0.0 {
                return msg_err(
                    400,
                    "advance_hours must not be negative: the clock never goes back",
                );
            }
            let mut st = lock(shared);
            charging::tick(&mut st);
            let now = st.clock.now_hours();
            match v["frozen"].as_bool() {
                Some(true) => st.clock.frozen_at = Some(now),
                Some(false) => {
                    if let Some(at) = st.clock.frozen_at.take() {
                        st.clock.offset_hours = at - crate::util::unix_now_f64() / 3600.0;
                    }
                }
                None => {}
            }
            match st.clock.frozen_at.as_mut() {
                Some(at) => *at += advance,
                None => st.clock.offset_hours += advance,
            }
            charging::tick(&mut st);
            ok(json!({"hours": st.clock.now_hours(), "frozen": st.clock.frozen_at.is_some()}))
        }
        ("POST", ["reset"]) => {
            lock(shared).reset();
            ok(json!({"success": true}))
        }
        ("POST", ["buckets", name, "objects"]) => {
            let v: Value = match serde_json::from_slice(body) {
                Ok(v) => v,
                Err(e) => return msg_err(400, format!("invalid body: {e}")),
            };
            let count = v.get("count").and_then(Value::as_i64).unwrap_or(1).max(0);
            let size = v
                .get("size_bytes")
                .and_then(Value::as_i64)
                .unwrap_or(0)
                .max(0);
            let mut st = lock(shared);
            crate::families::storage::put_objects(&mut st, name, count, size)
        }
        ("DELETE", ["buckets", name, "objects"]) => {
            let mut st = lock(shared);
            crate::families::storage::clear_objects(&mut st, name)
        }
        _ => msg_err(404, "unknown simulator control endpoint"),
    }
}

/// What each VM's guest was given and what happened to it (the API never returns
/// it): every account's VMs, as `families::vm::guest_json` shows them.
fn guest_logins(st: &crate::state::SimState) -> Value {
    let vms: Vec<Value> = st
        .accounts
        .values()
        .flat_map(|account| account.locs.values())
        .flat_map(|loc| loc.vms.iter().map(move |vm| (vm, loc)))
        .map(|(vm, loc)| crate::families::vm::guest_json(vm, &loc.disks))
        .collect();
    Value::Array(vms)
}
