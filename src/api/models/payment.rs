//! Payment, pricing and charging endpoints. Not used by the provider's resources; modelled so
//! that every documented example has a typed decoder. All global.

model! {
    /// A payment method (credit card or "paying by invoice").
    ///
    /// Decodes `GET /v1/payment/card?payment_object_id=` (Credit card details),
    /// `GET /v1/payment/card/list` (List credit cards, an array) and
    /// `POST /v1/payment/apply_for_invoice_payment` (Apply for invoice paying; its document
    /// example is not valid JSON: Python `True`/`False` literals).
    pub struct PaymentObject {
        pub id: i64,
        pub billing_account_id: i64,
        pub billing_account_processor_identifier_id: i64,
        pub identifier: String,
        pub is_primary: bool,
        pub is_verified: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub is_deleted: Option<bool>,
        /// Unix epoch seconds.
        pub valid_thru: i64,
        /// Unix epoch seconds.
        pub created: i64,
        /// Processor data encoded as a string (JSON, or a Python dict repr), kept verbatim.
        pub additional_data: String,
    }
}

model! {
    /// A credit record. Decodes `GET /v1/payment/credit/list` (an array).
    pub struct CreditRecord {
        pub id: i64,
        pub billing_account_id: i64,
        pub amount: f64,
        pub description: String,
        /// Unix epoch seconds.
        pub created: i64,
    }
}

model! {
    /// An invoice.
    ///
    /// Decodes `GET /v1/payment/invoice?invoice_id=` (Invoice details) and
    /// `GET /v1/payment/invoice/list` (List invoices, an array).
    pub struct Invoice {
        pub id: i64,
        pub padded_id: String,
        /// Present on some entries of the List invoices example only (`Invoice <nr>`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub name: Option<String>,
        pub billing_account_id: i64,
        /// 5 = unpaid, 10 = paid.
        pub status: i64,
        /// Unix epoch seconds.
        pub created: i64,
        pub due_date: i64,
        pub period_start: i64,
        pub period_end: i64,
        pub discount_percentage: f64,
        pub vat_percentage: f64,
        /// The billing account at invoicing time, a JSON document encoded as a string.
        pub account_snapshot: String,
        pub records_list: Vec<InvoiceRecord>,
        pub totals: InvoiceTotals,
        pub transaction_list: Vec<InvoiceTransaction>,
    }
}

model! {
    /// A line of an [`Invoice`] (`records_list[]`).
    pub struct InvoiceRecord {
        pub id: i64,
        pub invoice_id: i64,
        pub name: String,
        pub descr: String,
        pub location_slug: String,
        pub qty: f64,
        pub qty_unit: String,
        pub item_price: f64,
        pub amount: f64,
        pub created: i64,
    }
}

model! {
    /// `totals` of an [`Invoice`].
    pub struct InvoiceTotals {
        pub subtotal: f64,
        pub discount_amount: f64,
        pub credit: f64,
        pub vat_tax: f64,
        pub total: f64,
    }
}

model! {
    /// A payment transaction of an [`Invoice`] (`transaction_list[]`).
    pub struct InvoiceTransaction {
        pub id: i64,
        pub identifier: String,
        pub payment_object_id: i64,
        pub amount: f64,
        pub created: i64,
        /// Processor data, a JSON document encoded as a string.
        pub additional_data: String,
    }
}

model! {
    /// Decodes `POST /v1/payment/pay_amount`.
    pub struct PayAmountResult {
        pub success: bool,
        pub message: String,
        pub amount_used: f64,
        pub amount_left: f64,
        pub error_log: String,
        pub paid_invoices: Vec<i64>,
    }
}

model! {
    /// Decodes `GET /v1/pricing/policy`: `{"policy": [...]}`.
    pub struct PricingPolicy {
        pub policy: Vec<PricingItem>,
    }
}

model! {
    /// One price of a [`PricingPolicy`] (camelCase keys in the API). Prices are per hour.
    pub struct PricingItem {
        #[serde(rename = "policyId", alias = "policy_id")]
        pub policy_id: i64,
        /// `CPU`, `RAM`, `STORAGE`, `LICENSE`, `OBJECT_STORAGE`, ...
        #[serde(rename = "resourceType", alias = "resource_type")]
        pub resource_type: String,
        pub price: f64,
        #[serde(rename = "serviceNameUserFriendly", alias = "service_name_user_friendly")]
        pub service_name_user_friendly: String,
        /// For `STORAGE` / `LICENSE` / `OBJECT_STORAGE`: `main`, `backup`, `snapshot`, `windows`,
        /// ...
        #[serde(
            rename = "serviceNameInUptime",
            alias = "service_name_in_uptime",
            skip_serializing_if = "Option::is_none"
        )]
        pub service_name_in_uptime: Option<String>,
        /// For `CPU` prices.
        #[serde(rename = "numCpus", alias = "num_cpus", skip_serializing_if = "Option::is_none")]
        pub num_cpus: Option<i64>,
        /// For `RAM` prices.
        #[serde(rename = "megsRam", alias = "megs_ram", skip_serializing_if = "Option::is_none")]
        pub megs_ram: Option<i64>,
    }
}

model! {
    /// Usage and cost of one resource this month. Decodes `GET /v1/charging/usage` (an array).
    pub struct ResourceUsage {
        pub billing_account_id: i64,
        pub user_id: i64,
        /// Uuid of the billed resource.
        pub owner_uuid: String,
        pub description: String,
        pub hours: f64,
        pub price: f64,
        pub price_unit: String,
        pub cost: f64,
        pub uptime_types: Vec<String>,
        pub configurations: Vec<UsageConfiguration>,
    }
}

model! {
    /// `configurations[]` of a [`ResourceUsage`] (keys `disk_size_GB`, `ram_MB` as sent).
    pub struct UsageConfiguration {
        pub vm_name: String,
        pub os_name: Option<String>,
        pub cpus: Option<i64>,
        #[serde(rename = "ram_MB", alias = "ram_mb")]
        pub ram_mb: Option<i64>,
        #[serde(rename = "disk_size_GB", alias = "disk_size_gb")]
        pub disk_size_gb: Option<i64>,
    }
}
