//! Billing accounts and the resources billed to them.

use serde::{Deserialize, Serialize};

use super::de;

/// One entry of `GET /v1/{slug}/user-resource/billing_resources?id=<billing account>`
/// (location-specific). With the default `resource_type=vm` the entries are VM payloads; the
/// document example is the only one that carries `public_ipv4` and `hypervisor_id`.
pub type BillingResource = super::vm::Vm;

/// A billing account.
///
/// Decodes `GET /v1/payment/billing_account/list` (an array), `GET /v1/payment/billing_account`
/// (Billing account details), `PUT /v1/payment/billing_account` (Update billing account) and
/// `account` of [`RecurringPaymentResult`]. Global (not location-specific).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct BillingAccount {
    /// The id passed as `billing_account_id` everywhere (a VM reports it as `billing_account`).
    #[serde(deserialize_with = "de::int")]
    pub id: i64,
    /// Human-readable name of the account.
    #[serde(deserialize_with = "de::string")]
    pub title: String,
    #[serde(deserialize_with = "de::string")]
    pub email: String,
    #[serde(deserialize_with = "de::int")]
    pub user_id: i64,
    #[serde(deserialize_with = "de::bool")]
    pub is_default: bool,
    #[serde(deserialize_with = "de::bool")]
    pub is_active: bool,
    #[serde(deserialize_with = "de::bool")]
    pub is_deleted: bool,
    #[serde(deserialize_with = "de::bool")]
    pub allow_debt: bool,
    #[serde(deserialize_with = "de::bool")]
    pub can_pay: bool,
    #[serde(deserialize_with = "de::bool")]
    pub paying_by_invoice: bool,
    #[serde(deserialize_with = "de::bool")]
    pub send_invoice_email: bool,
    /// e.g. `FROZEN`; empty when unrestricted.
    #[serde(deserialize_with = "de::string")]
    pub restriction_level: String,
    #[serde(deserialize_with = "de::string")]
    pub suspend_reason: String,
    #[serde(deserialize_with = "de::float")]
    pub credit_amount: f64,
    #[serde(deserialize_with = "de::float")]
    pub unpaid_amount: f64,
    #[serde(deserialize_with = "de::float")]
    pub discount_percentage: f64,
    #[serde(deserialize_with = "de::float")]
    pub vat_percentage: f64,
    #[serde(deserialize_with = "de::bool")]
    pub is_recurring_payment_enabled: bool,
    #[serde(deserialize_with = "de::float")]
    pub recurring_payment_amount: f64,
    #[serde(deserialize_with = "de::float")]
    pub recurring_payment_threshold: f64,
    /// Unix epoch seconds (unlike most timestamps of the API).
    #[serde(deserialize_with = "de::int")]
    pub created: i64,
    #[serde(deserialize_with = "de::string")]
    pub site: String,
    #[serde(deserialize_with = "de::string")]
    pub reseller: String,
    #[serde(deserialize_with = "de::string")]
    pub referral_share_code: String,
    #[serde(deserialize_with = "de::string")]
    pub company_name: String,
    #[serde(deserialize_with = "de::string")]
    pub company_reg_code: String,
    #[serde(deserialize_with = "de::string")]
    pub company_vat_number: String,
    #[serde(deserialize_with = "de::string")]
    pub address_line1: String,
    #[serde(deserialize_with = "de::string")]
    pub city: String,
    #[serde(deserialize_with = "de::string")]
    pub county: String,
    #[serde(deserialize_with = "de::string")]
    pub country: String,
    #[serde(deserialize_with = "de::string")]
    pub post_index: String,
    /// A JSON document encoded as a string (e.g. `{"link_methods": [...]}`), kept verbatim.
    #[serde(deserialize_with = "de::string")]
    pub additional_data: String,
    #[serde(deserialize_with = "de::null_as_default")]
    pub eligible_promotions: Vec<Promotion>,
    pub primary_card: Option<PrimaryCard>,
    #[serde(deserialize_with = "de::null_as_default")]
    pub running_totals: RunningTotals,
}

/// `eligible_promotions[]` of a [`BillingAccount`].
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct Promotion {
    #[serde(deserialize_with = "de::string")]
    pub credit_type: String,
    #[serde(deserialize_with = "de::float")]
    pub amount: f64,
    #[serde(deserialize_with = "de::float")]
    pub top_up_requirement: f64,
    #[serde(deserialize_with = "de::float")]
    pub top_up_done: f64,
}

/// `primary_card` of a [`BillingAccount`].
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct PrimaryCard {
    /// Payment processor's id (a string such as `pm_...`).
    #[serde(deserialize_with = "de::string")]
    pub id: String,
    #[serde(deserialize_with = "de::int")]
    pub expire_month: i64,
    #[serde(deserialize_with = "de::int")]
    pub expire_year: i64,
    #[serde(deserialize_with = "de::string")]
    pub last4: String,
    #[serde(deserialize_with = "de::string")]
    pub card_type: String,
    #[serde(deserialize_with = "de::string")]
    pub card_holder: String,
    #[serde(rename = "type", deserialize_with = "de::string")]
    pub r#type: String,
    #[serde(deserialize_with = "de::bool")]
    pub is_verified: bool,
    /// The payment processor's own object, kept opaque.
    pub processor_data: serde_json::Value,
}

/// `running_totals` of a [`BillingAccount`].
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct RunningTotals {
    #[serde(deserialize_with = "de::float")]
    pub credit_amount: f64,
    #[serde(deserialize_with = "de::float")]
    pub credit_available: f64,
    #[serde(deserialize_with = "de::float")]
    pub discount_amount: f64,
    /// Balance that recurring payments compare against `recurring_payment_threshold`.
    #[serde(deserialize_with = "de::float")]
    pub ongoing: f64,
    #[serde(deserialize_with = "de::float")]
    pub subtotal: f64,
    #[serde(deserialize_with = "de::float")]
    pub total: f64,
    #[serde(deserialize_with = "de::float")]
    pub vat_tax: f64,
}

/// Decodes `PUT /v1/payment/billing_account/{id}/recurring_payment`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct RecurringPaymentResult {
    #[serde(deserialize_with = "de::null_as_default")]
    pub payment_report: PaymentReport,
    #[serde(deserialize_with = "de::null_as_default")]
    pub account: BillingAccount,
}

/// `payment_report` of [`RecurringPaymentResult`].
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct PaymentReport {
    /// Whether a top-up payment was made immediately.
    #[serde(deserialize_with = "de::bool")]
    pub triggered: bool,
    #[serde(deserialize_with = "de::null_as_default")]
    pub errors: Vec<serde_json::Value>,
}

/// Decodes `GET /v1/payment/billing_account/unpaid_amount`, which answers
/// `{"message": 59.96}`: the amount is a *number* under `message`, the key every error body
/// uses for its text.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct UnpaidAmount {
    #[serde(deserialize_with = "de::float")]
    pub message: f64,
}
