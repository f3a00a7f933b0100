//! Billing accounts and the resources billed to them.

/// One entry of `GET /v1/{slug}/user-resource/billing_resources?id=<billing account>`
/// (location-specific). With the default `resource_type=vm` the entries are VM payloads; the
/// document example is the only one that carries `public_ipv4` and `hypervisor_id`.
pub type BillingResource = super::vm::Vm;

model! {
    /// A billing account.
    ///
    /// Decodes `GET /v1/payment/billing_account/list` (an array), `GET /v1/payment/billing_account`
    /// (Billing account details), `PUT /v1/payment/billing_account` (Update billing account) and
    /// `account` of [`RecurringPaymentResult`]. Global (not location-specific).
    pub struct BillingAccount {
        /// The id passed as `billing_account_id` everywhere (a VM reports it as `billing_account`).
        pub id: i64,
        /// Human-readable name of the account.
        pub title: String,
        pub email: String,
        pub user_id: i64,
        pub is_default: bool,
        pub is_active: bool,
        pub is_deleted: bool,
        pub allow_debt: bool,
        pub can_pay: bool,
        pub paying_by_invoice: bool,
        pub send_invoice_email: bool,
        /// e.g. `FROZEN`; empty when unrestricted.
        pub restriction_level: String,
        pub suspend_reason: String,
        pub credit_amount: f64,
        pub unpaid_amount: f64,
        pub discount_percentage: f64,
        pub vat_percentage: f64,
        pub is_recurring_payment_enabled: bool,
        pub recurring_payment_amount: f64,
        pub recurring_payment_threshold: f64,
        /// Unix epoch seconds (unlike most timestamps of the API).
        pub created: i64,
        pub site: String,
        pub reseller: String,
        pub referral_share_code: String,
        pub company_name: String,
        pub company_reg_code: String,
        pub company_vat_number: String,
        pub address_line1: String,
        pub city: String,
        pub county: String,
        pub country: String,
        pub post_index: String,
        /// A JSON document encoded as a string (e.g. `{"link_methods": [...]}`), kept verbatim.
        pub additional_data: String,
        pub eligible_promotions: Vec<Promotion>,
        pub primary_card: Option<PrimaryCard>,
        pub running_totals: RunningTotals,
    }
}

model! {
    /// `eligible_promotions[]` of a [`BillingAccount`].
    pub struct Promotion {
        pub credit_type: String,
        pub amount: f64,
        pub top_up_requirement: f64,
        pub top_up_done: f64,
    }
}

model! {
    /// `primary_card` of a [`BillingAccount`].
    pub struct PrimaryCard {
        /// Payment processor's id (a string such as `pm_...`).
        pub id: String,
        pub expire_month: i64,
        pub expire_year: i64,
        pub last4: String,
        pub card_type: String,
        pub card_holder: String,
        #[serde(rename = "type")]
        pub r#type: String,
        pub is_verified: bool,
        /// The payment processor's own object, kept opaque.
        pub processor_data: serde_json::Value,
    }
}

model! {
    /// `running_totals` of a [`BillingAccount`].
    pub struct RunningTotals {
        pub credit_amount: f64,
        pub credit_available: f64,
        pub discount_amount: f64,
        /// Balance that recurring payments compare against `recurring_payment_threshold`.
        pub ongoing: f64,
        pub subtotal: f64,
        pub total: f64,
        pub vat_tax: f64,
    }
}

model! {
    /// Decodes `PUT /v1/payment/billing_account/{id}/recurring_payment`.
    pub struct RecurringPaymentResult {
        pub payment_report: PaymentReport,
        pub account: BillingAccount,
    }
}

model! {
    /// `payment_report` of [`RecurringPaymentResult`].
    pub struct PaymentReport {
        /// Whether a top-up payment was made immediately.
        pub triggered: bool,
        pub errors: Vec<serde_json::Value>,
    }
}

model! {
    /// Decodes `GET /v1/payment/billing_account/unpaid_amount`, which answers
    /// `{"message": 59.96}`: the amount is a *number* under `message`, the key every error body
    /// uses for its text.
    pub struct UnpaidAmount {
        pub message: f64,
    }
}
