//! Payment (billing accounts, global) and billing of resources (location-scoped).

use serde_json::{json, Value};

use super::{global, Route};
use crate::http::{ok, vm_err, Req, Resp};
use crate::state::{Account, BillingAccount, SimState};

pub fn route(method: &str, segs: &[&str]) -> Option<Route> {
    match (method, segs) {
        ("GET", ["payment", "billing_account", "list"]) => global(list_billing_accounts),
        ("GET", ["payment", "billing_account"]) => global(get_billing_account),
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
        "reseller": "IDCloudHost",
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
        "site": "idcloudhost",
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
