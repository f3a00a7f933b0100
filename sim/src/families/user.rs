//! The authenticated user (`/v1/user-resource/user`).

use serde_json::json;

use super::{global, Route};
use crate::http::{ok, Req, Resp};
use crate::state::SimState;

pub fn route(method: &str, segs: &[&str]) -> Option<Route> {
    match (method, segs) {
        ("GET", ["user-resource", "user"]) => global(get_user),
        _ => None,
    }
}

fn get_user(st: &mut SimState, rq: &Req) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return ok(json!({}));
    };
    ok(json!({
        "cookie_id": format!("{:032x}", acc.user_id * 7919),
        "id": acc.user_id,
        "last_activity": crate::util::ts(),
        "name": acc.email,
        "profile": null,
        "profile_data": {
            "avatar": "https://s.gravatar.com/avatar/0?s=480&r=pg&d=mp",
            "created_at": "2023-10-25 11:02:59",
            "email": acc.email,
            "first_name": "Sim",
            "id": acc.user_id + 100,
            "last_name": "User",
            "personal_id_number": "",
            "phone_number": "+6281200000000",
            "updated_at": "2024-05-18 11:07:00",
            "user_id": acc.user_id
        },
        "state": {}
    }))
}
