//! Payment (billing accounts, global) and billing of resources (location-scoped).

use serde_json::{json, Value};

use super::vm::{no_such_vm, vm_json};
use super::{global, located, Route};
use crate::http::{field_err, ok, vm_err, Errs, Req, Resp, MISSING, NOT_INT};
use crate::state::{Account, BillingAccount, SimState};

pub fn route(method: &str, segs: &[&str]) -> Option<Route> {
    match (method, segs) {
        ("GET", ["payment", "billing_account", "list"]) => global(list_billing_accounts),
        ("GET", ["payment", "billing_account"]) => global(get_billing_account),
        ("GET", ["user-resource", "billing_resources"]) => located(billing_resources),
        ("POST", ["user-resource", "resource_billing"]) => located(resource_billing),
        _ => None,
    }
}

pub fn billing_account_json(acc: &Account, b: &BillingAccount) -> Value {
    json!({
        "additional_data": "{\"link_methods\": [\"duitku::FT\", \"duitku::M1\"]}",
        "address_line1": "Jl. Jend. Sudirman Kav. 52-53",
        "allow_debt": false,
        "can_pay": true,
        "city": "Jakarta",
        "company_name": "",
        "company_reg_code": "",
        "company_vat_number": "",
        "country": "ID",
        "county": "DKI Jakarta",
        "created": b.created,
        "credit_amount": 250000.0,
        "discount_percentage": 0,
        "eligible_promotions": [],
        "email": acc.email,
        "id": b.id,
        "is_active": true,
        "is_default": b.is_default,
        "is_deleted": false,
        "is_recurring_payment_enabled": false,
        "paying_by_invoice": false,
        "post_index": "12190",
        "primary_card": null,
        "recurring_payment_amount": 0,
        "recurring_payment_threshold": 0,
        "referral_share_code": format!("ref{}", b.id),
        "reseller": "Warren",
        "restriction_level": "OK",
        "running_totals": {
            "credit_amount": 0,
            "credit_available": 250000.0,
            "discount_amount": 0,
            "ongoing": 0,
            "subtotal": 0,
            "total": 0,
            "vat_tax": 0
        },
        "send_invoice_email": true,
        "site": "warren",
        "suspend_reason": "",
        "title": b.title,
        "unpaid_amount": 0,
        "user_id": acc.user_id,
        "vat_percentage": 11
    })
}

fn list_billing_accounts(st: &mut SimState, rq: &Req) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return ok(json!([]));
    };
    let list: Vec<Value> = acc
        .billing_accounts
        .iter()
        .map(|b| billing_account_json(acc, b))
        .collect();
    ok(Value::Array(list))
}

fn get_billing_account(st: &mut SimState, rq: &Req) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return vm_err(400, "Provided billing account is incorrect.");
    };
    let id = rq
        .q("billing_account_id")
        .and_then(|v| v.trim().parse::<i64>().ok());
    match id.and_then(|id| acc.billing_accounts.iter().find(|b| b.id == id)) {
        Some(b) => ok(billing_account_json(acc, b)),
        None => vm_err(400, "Provided billing account is incorrect."),
    }
}

/// `GET /user-resource/billing_resources?id=N&resource_type=vm`
fn billing_resources(st: &mut SimState, rq: &Req) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return ok(json!([]));
    };
    let id = match rq.q("id").filter(|v| !v.trim().is_empty()) {
        None => return field_err("id", MISSING),
        Some(v) => match v.trim().parse::<i64>() {
            Ok(n) => n,
            Err(_) => return field_err("id", NOT_INT),
        },
    };
    if !acc.has_billing(id) {
        return vm_err(400, "Provided billing account is incorrect.");
    }
    let kind = rq
        .q("resource_type")
        .filter(|v| !v.is_empty())
        .unwrap_or("vm");
    if kind != "vm" {
        return field_err("resource_type", "Must be one of: vm.");
    }
    let user_id = acc.user_id;
    let loc = acc.loc(&rq.slug);
    let out: Vec<Value> = loc
        .vms
        .iter()
        .filter(|v| v.billing_account == id)
        .map(|v| {
            let mut j = vm_json(v, &loc.disks, user_id);
            j["hypervisor_id"] = Value::Null;
            j
        })
        .collect();
    ok(Value::Array(out))
}

/// `POST /user-resource/resource_billing` (form: billing_account_id, uuid, resource_type)
fn resource_billing(st: &mut SimState, rq: &Req) -> Resp {
    let Some(acc) = st.account(&rq.key) else {
        return vm_err(400, "Provided billing account is incorrect.");
    };
    let mut errs = Errs::default();
    let billing = crate::http::req_int(rq, "billing_account_id", &mut errs);
    let uuid = rq.f_nonempty("uuid").map(|s| s.trim().to_ascii_lowercase());
    if uuid.is_none() {
        errs.add("uuid", MISSING);
    }
    let kind = rq.f_nonempty("resource_type").unwrap_or("vm").to_string();
    if kind != "vm" {
        errs.add("resource_type", "Must be one of: vm.");
    }
    if !errs.is_empty() {
        return errs.into_resp();
    }
    let (Some(billing), Some(uuid)) = (billing, uuid) else {
        return field_err("uuid", MISSING);
    };
    if !acc.has_billing(billing) {
        return vm_err(400, "Provided billing account is incorrect.");
    }
    let user_id = acc.user_id;
    let loc = acc.loc(&rq.slug);
    let Some(vm) = loc.vms.iter_mut().find(|v| v.uuid == uuid) else {
        return no_such_vm(&uuid);
    };
    vm.billing_account = billing;
    vm.updated_at = Some(crate::util::ts());
    for d in &mut loc.disks {
        if d.owned_by_vm && d.attached_to.as_deref() == Some(uuid.as_str()) {
            d.billing_account_id = billing;
        }
    }
    let Some(vm) = loc.vms.iter().find(|v| v.uuid == uuid) else {
        return no_such_vm(&uuid);
    };
    ok(vm_json(vm, &loc.disks, user_id))
}
