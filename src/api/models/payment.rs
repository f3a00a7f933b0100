//! Payment, pricing and charging endpoints. Not used by the provider's resources; modelled so
//! that every documented example has a typed decoder. All global.

use serde::{Deserialize, Serialize};

use super::de;

/// A payment method (credit card or "paying by invoice").
///
/// Decodes `GET /v1/payment/card?payment_object_id=` (Credit card details),
/// `GET /v1/payment/card/list` (List credit cards, an array) and
/// `POST /v1/payment/apply_for_invoice_payment` (Apply for invoice paying; its document
/// example is not valid JSON: Python `True`/`False` literals).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct PaymentObject {
    #[serde(deserialize_with = "de::int")]
    pub id: i64,
    #[serde(deserialize_with = "de::int")]
    pub billing_account_id: i64,
    #[serde(deserialize_with = "de::int")]
    pub billing_account_processor_identifier_id: i64,
    #[serde(deserialize_with = "de::string")]
    pub identifier: String,
    #[serde(deserialize_with = "de::bool")]
    pub is_primary: bool,
    #[serde(deserialize_with = "de::bool")]
    pub is_verified: bool,
    #[serde(
        deserialize_with = "de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_deleted: Option<bool>,
    /// Unix epoch seconds.
    #[serde(deserialize_with = "de::int")]
    pub valid_thru: i64,
    /// Unix epoch seconds.
    #[serde(deserialize_with = "de::int")]
    pub created: i64,
    /// Processor data encoded as a string (JSON, or a Python dict repr), kept verbatim.
    #[serde(deserialize_with = "de::string")]
    pub additional_data: String,
}

/// A credit record. Decodes `GET /v1/payment/credit/list` (an array).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct CreditRecord {
    #[serde(deserialize_with = "de::int")]
    pub id: i64,
    #[serde(deserialize_with = "de::int")]
    pub billing_account_id: i64,
    #[serde(deserialize_with = "de::float")]
    pub amount: f64,
    #[serde(deserialize_with = "de::string")]
    pub description: String,
    /// Unix epoch seconds.
    #[serde(deserialize_with = "de::int")]
    pub created: i64,
}

/// An invoice.
///
/// Decodes `GET /v1/payment/invoice?invoice_id=` (Invoice details) and
/// `GET /v1/payment/invoice/list` (List invoices, an array).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct Invoice {
    #[serde(deserialize_with = "de::int")]
    pub id: i64,
    #[serde(deserialize_with = "de::string")]
    pub padded_id: String,
    /// Present on some entries of the List invoices example only (`Invoice <nr>`).
    #[serde(
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    #[serde(deserialize_with = "de::int")]
    pub billing_account_id: i64,
    /// 5 = unpaid, 10 = paid.
    #[serde(deserialize_with = "de::int")]
    pub status: i64,
    /// Unix epoch seconds.
    #[serde(deserialize_with = "de::int")]
    pub created: i64,
    #[serde(deserialize_with = "de::int")]
    pub due_date: i64,
    #[serde(deserialize_with = "de::int")]
    pub period_start: i64,
    #[serde(deserialize_with = "de::int")]
    pub period_end: i64,
    #[serde(deserialize_with = "de::float")]
    pub discount_percentage: f64,
    #[serde(deserialize_with = "de::float")]
    pub vat_percentage: f64,
    /// The billing account at invoicing time, a JSON document encoded as a string.
    #[serde(deserialize_with = "de::string")]
    pub account_snapshot: String,
    #[serde(deserialize_with = "de::null_as_default")]
    pub records_list: Vec<InvoiceRecord>,
    #[serde(deserialize_with = "de::null_as_default")]
    pub totals: InvoiceTotals,
    #[serde(deserialize_with = "de::null_as_default")]
    pub transaction_list: Vec<InvoiceTransaction>,
}

/// A line of an [`Invoice`] (`records_list[]`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct InvoiceRecord {
    #[serde(deserialize_with = "de::int")]
    pub id: i64,
    #[serde(deserialize_with = "de::int")]
    pub invoice_id: i64,
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    #[serde(deserialize_with = "de::string")]
    pub descr: String,
    #[serde(deserialize_with = "de::string")]
    pub location_slug: String,
    #[serde(deserialize_with = "de::float")]
    pub qty: f64,
    #[serde(deserialize_with = "de::string")]
    pub qty_unit: String,
    #[serde(deserialize_with = "de::float")]
    pub item_price: f64,
    #[serde(deserialize_with = "de::float")]
    pub amount: f64,
    #[serde(deserialize_with = "de::int")]
    pub created: i64,
}

/// `totals` of an [`Invoice`].
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct InvoiceTotals {
    #[serde(deserialize_with = "de::float")]
    pub subtotal: f64,
    #[serde(deserialize_with = "de::float")]
    pub discount_amount: f64,
    #[serde(deserialize_with = "de::float")]
    pub credit: f64,
    #[serde(deserialize_with = "de::float")]
    pub vat_tax: f64,
    #[serde(deserialize_with = "de::float")]
    pub total: f64,
}

/// A payment transaction of an [`Invoice`] (`transaction_list[]`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct InvoiceTransaction {
    #[serde(deserialize_with = "de::int")]
    pub id: i64,
    #[serde(deserialize_with = "de::string")]
    pub identifier: String,
    #[serde(deserialize_with = "de::int")]
    pub payment_object_id: i64,
    #[serde(deserialize_with = "de::float")]
    pub amount: f64,
    #[serde(deserialize_with = "de::int")]
    pub created: i64,
    /// Processor data, a JSON document encoded as a string.
    #[serde(deserialize_with = "de::string")]
    pub additional_data: String,
}

/// Decodes `POST /v1/payment/pay_amount`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct PayAmountResult {
    #[serde(deserialize_with = "de::bool")]
    pub success: bool,
    #[serde(deserialize_with = "de::string")]
    pub message: String,
    #[serde(deserialize_with = "de::float")]
    pub amount_used: f64,
    #[serde(deserialize_with = "de::float")]
    pub amount_left: f64,
    #[serde(deserialize_with = "de::string")]
    pub error_log: String,
    #[serde(deserialize_with = "de::null_as_default")]
    pub paid_invoices: Vec<i64>,
}

/// Decodes `GET /v1/pricing/policy`: `{"policy": [...]}`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct PricingPolicy {
    #[serde(deserialize_with = "de::null_as_default")]
    pub policy: Vec<PricingItem>,
}

/// One price of a [`PricingPolicy`] (camelCase keys in the API). Prices are per hour.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct PricingItem {
    #[serde(rename = "policyId", alias = "policy_id", deserialize_with = "de::int")]
    pub policy_id: i64,
    /// `CPU`, `RAM`, `STORAGE`, `LICENSE`, `OBJECT_STORAGE`, ...
    #[serde(
        rename = "resourceType",
        alias = "resource_type",
        deserialize_with = "de::string"
    )]
    pub resource_type: String,
    #[serde(deserialize_with = "de::float")]
    pub price: f64,
    #[serde(
        rename = "serviceNameUserFriendly",
        alias = "service_name_user_friendly",
        deserialize_with = "de::string"
    )]
    pub service_name_user_friendly: String,
    /// For `STORAGE` / `LICENSE` / `OBJECT_STORAGE`: `main`, `backup`, `snapshot`, `windows`, ...
    #[serde(
        rename = "serviceNameInUptime",
        alias = "service_name_in_uptime",
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_name_in_uptime: Option<String>,
    /// For `CPU` prices.
    #[serde(
        rename = "numCpus",
        alias = "num_cpus",
        deserialize_with = "de::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub num_cpus: Option<i64>,
    /// For `RAM` prices.
    #[serde(
        rename = "megsRam",
        alias = "megs_ram",
        deserialize_with = "de::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub megs_ram: Option<i64>,
}

/// Usage and cost of one resource this month. Decodes `GET /v1/charging/usage` (an array).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct ResourceUsage {
    #[serde(deserialize_with = "de::int")]
    pub billing_account_id: i64,
    #[serde(deserialize_with = "de::int")]
    pub user_id: i64,
    /// Uuid of the billed resource.
    #[serde(deserialize_with = "de::string")]
    pub owner_uuid: String,
    #[serde(deserialize_with = "de::string")]
    pub description: String,
    #[serde(deserialize_with = "de::float")]
    pub hours: f64,
    #[serde(deserialize_with = "de::float")]
    pub price: f64,
    #[serde(deserialize_with = "de::string")]
    pub price_unit: String,
    #[serde(deserialize_with = "de::float")]
    pub cost: f64,
    #[serde(deserialize_with = "de::string_vec")]
    pub uptime_types: Vec<String>,
    #[serde(deserialize_with = "de::null_as_default")]
    pub configurations: Vec<UsageConfiguration>,
}

/// `configurations[]` of a [`ResourceUsage`] (keys `disk_size_GB`, `ram_MB` as sent).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct UsageConfiguration {
    #[serde(deserialize_with = "de::string")]
    pub vm_name: String,
    #[serde(deserialize_with = "de::opt_string")]
    pub os_name: Option<String>,
    #[serde(deserialize_with = "de::opt_int")]
    pub cpus: Option<i64>,
    #[serde(rename = "ram_MB", alias = "ram_mb", deserialize_with = "de::opt_int")]
    pub ram_mb: Option<i64>,
    #[serde(
        rename = "disk_size_GB",
        alias = "disk_size_gb",
        deserialize_with = "de::opt_int"
    )]
    pub disk_size_gb: Option<i64>,
}
