//! Shapes shared by many endpoints: acknowledgements and error bodies.

model! {
    /// `{"success": true}`: the acknowledgement of Change Password, Delete Replica, Delete Attached
    /// Disk, Detach Disk, Set default billing account, Remove credit card, Set card as primary,
    /// Buy credit, Request invoice and Active campaigns status.
    pub struct Success {
        pub success: bool,
    }
}

model! {
    /// An error body, in any of the shapes the platform uses:
    ///
    /// - `{"errors": {"Error": "No such virtual machine exists. ..."}}` (VM endpoints), -
    /// `{"errors": {"<field>": "<problem>"}}` (per-field validation), - `{"errors":
    /// {"consumer::resource_forbidden": {"msg": "...", "subtype": "...", "type": "..."}}}`
    /// (payment endpoints in the documents), - `{"message": "..."}` (network, disk, floating IP,
    /// routing, auth).
    ///
    /// Use [`ApiErrorBody::text`] to get a message to show to the user.
    pub struct ApiErrorBody {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub errors: Option<serde_json::Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub message: Option<serde_json::Value>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub error: Option<serde_json::Value>,
    }
}

impl ApiErrorBody {
    /// Parse an error body; `None` if `body` is not a JSON object with any known error key.
    pub fn parse(body: &str) -> Option<ApiErrorBody> {
        let parsed: ApiErrorBody = serde_json::from_str(body).ok()?;
        (parsed.errors.is_some() || parsed.message.is_some() || parsed.error.is_some())
            .then_some(parsed)
    }

    /// A human-readable message assembled from whatever the body carries, or `None` if the body
    /// has no recognisable text. Field errors are rendered as `field: problem`; the generic
    /// `Error` key is rendered without its name.
    pub fn text(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(e) = &self.errors {
            collect(None, e, &mut parts);
        }
        if let Some(e) = &self.error {
            collect(None, e, &mut parts);
        }
        if let Some(m) = &self.message {
            collect(None, m, &mut parts);
        }
        let parts: Vec<String> = parts.into_iter().filter(|p| !p.is_empty()).collect();
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

fn collect(key: Option<&str>, v: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value;
    let prefix = |s: String| match key {
        Some(k) if !k.eq_ignore_ascii_case("error") && !k.eq_ignore_ascii_case("message") => {
            format!("{k}: {s}")
        }
        _ => s,
    };
    match v {
        Value::Null => {}
        Value::String(s) => out.push(prefix(s.clone())),
        Value::Bool(_) | Value::Number(_) => out.push(prefix(v.to_string())),
        Value::Array(items) => {
            for item in items {
                collect(key, item, out);
            }
        }
        Value::Object(map) => {
            // {"msg": "...", "type": ..., "subtype": ...}: the message is under msg/message.
            if let Some(msg) = map
                .get("msg")
                .or_else(|| map.get("message"))
                .and_then(Value::as_str)
            {
                out.push(prefix(msg.to_string()));
                return;
            }
            for (k, item) in map {
                collect(Some(k), item, out);
            }
        }
    }
}
