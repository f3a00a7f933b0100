//! API errors, classified into kinds that callers match on. Every error keeps the
//! API's own message and the request's method and path.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The object does not exist (404, or the API's 400 "No such virtual machine").
    NotFound,
    /// The location slug is unknown: a configuration error, never "deleted".
    UnknownLocation,
    /// The API has no such endpoint (404 "no route") where the slug is not to
    /// blame: it is another brand's API generation than the provider speaks.
    WrongBrand,
    Unauthorized,
    Forbidden,
    /// The API rejected the input; `field_errors` says which fields.
    Validation,
    Conflict,
    RateLimited,
    Server,
    /// No usable answer: connection refused, timeout, malformed body.
    Transport,
    /// Any other 4xx.
    BadRequest,
    /// The selected API generation (brand) lacks the feature.
    Unsupported,
    /// A write may have taken effect and several objects match it: the provider
    /// cannot tell which one it made, so it adopts none.
    Ambiguous,
}

/// "The object does not exist" taken as an answer instead of an error, written once
/// for every lookup (`found`) and every delete or unlink where gone counts as done
/// (`ok_if_not_found`).
pub trait NotFoundExt<T> {
    /// `Ok(None)` when the API says the object does not exist.
    fn found(self) -> Result<Option<T>, ApiError>;
    /// `Ok(())` when the API says the object does not exist (already deleted).
    fn ok_if_not_found(self) -> Result<(), ApiError>;
}

impl<T> NotFoundExt<T> for Result<T, ApiError> {
    fn found(self) -> Result<Option<T>, ApiError> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn ok_if_not_found(self) -> Result<(), ApiError> {
        self.found().map(drop)
    }
}

#[derive(Clone, Debug)]
pub struct ApiError {
    pub kind: ErrorKind,
    pub status: Option<u16>,
    pub message: String,
    pub method: String,
    pub path: String,
    pub field_errors: Vec<(String, String)>,
    /// The connection was never made: the request did not reach the API.
    pub not_sent: bool,
}

impl ApiError {
    pub fn is_not_found(&self) -> bool {
        self.kind == ErrorKind::NotFound
    }

    /// The request may have been carried out although no success was seen (a 5xx or
    /// a lost answer): a create must look for what it would have made before failing.
    pub fn may_have_taken_effect(&self) -> bool {
        match self.kind {
            ErrorKind::Server => true,
            ErrorKind::Transport => !self.not_sent,
            _ => false,
        }
    }

    /// A connection that was never made (refused, DNS failure): safe to repeat.
    pub fn not_sent(method: &str, path: &str, message: impl Into<String>) -> Self {
        ApiError {
            not_sent: true,
            ..ApiError::transport(method, path, message)
        }
    }

    /// Adds what the provider found out afterwards to the message.
    pub fn note(mut self, note: impl AsRef<str>) -> Self {
        self.message = format!("{} ({})", self.message, note.as_ref());
        self
    }

    pub fn transport(method: &str, path: &str, message: impl Into<String>) -> Self {
        ApiError {
            kind: ErrorKind::Transport,
            status: None,
            message: message.into(),
            method: method.to_owned(),
            path: path.to_owned(),
            field_errors: Vec::new(),
            not_sent: false,
        }
    }

    pub fn unsupported(message: impl Into<String>) -> Self {
        ApiError {
            kind: ErrorKind::Unsupported,
            status: None,
            message: message.into(),
            method: String::new(),
            path: String::new(),
            field_errors: Vec::new(),
            not_sent: false,
        }
    }

    /// Builds an error from an HTTP status and body.
    pub fn from_response(method: &str, path: &str, status: u16, body: &[u8]) -> Self {
        let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
        let mut message = String::new();
        let mut field_errors = Vec::new();
        if let Some(json) = &json {
            if let Some(m) = json.get("message").and_then(|m| m.as_str()) {
                message = m.to_owned();
            }
            match json.get("errors") {
                Some(serde_json::Value::Object(errors)) => {
                    for (field, value) in errors {
                        let text = match value {
                            serde_json::Value::String(s) => s.clone(),
                            // `{"consumer::resource_forbidden": {"msg": ...}}`
                            serde_json::Value::Object(inner) if inner.contains_key("msg") => {
                                inner["msg"].as_str().unwrap_or_default().to_owned()
                            }
                            serde_json::Value::Array(items) => items
                                .iter()
                                .map(|i| i.as_str().map(str::to_owned).unwrap_or(i.to_string()))
                                .collect::<Vec<_>>()
                                .join("; "),
                            other => other.to_string(),
                        };
                        if field == "Error" {
                            message = text;
                        } else {
                            field_errors.push((field.clone(), text));
                        }
                    }
                }
                Some(serde_json::Value::String(s)) => message = s.clone(),
                _ => {}
            }
            if message.is_empty() {
                if let Some(e) = json.get("error").and_then(|m| m.as_str()) {
                    message = e.to_owned();
                }
            }
        }
        if message.is_empty() && !field_errors.is_empty() {
            message = field_errors
                .iter()
                .map(|(f, m)| format!("{f}: {m}"))
                .collect::<Vec<_>>()
                .join("; ");
        }
        if message.is_empty() {
            let text = String::from_utf8_lossy(body);
            message = if text.trim().is_empty() {
                format!("HTTP {status} with an empty body")
            } else {
                text.chars().take(500).collect()
            };
        }
        let kind = classify(status, &message, !field_errors.is_empty());
        ApiError {
            kind,
            status: Some(status),
            message,
            method: method.to_owned(),
            path: path.to_owned(),
            field_errors,
            not_sent: false,
        }
    }
}

fn classify(status: u16, message: &str, has_field_errors: bool) -> ErrorKind {
    let lower = message.to_ascii_lowercase();
    match status {
        404 if lower.contains("no route and no api found") => ErrorKind::UnknownLocation,
        404 => ErrorKind::NotFound,
        400 if lower.contains("no such virtual machine")
            || lower.contains("no such replica")
            || lower.contains("network uuid is invalid") =>
        {
            ErrorKind::NotFound
        }
        400 | 422 if has_field_errors => ErrorKind::Validation,
        401 => ErrorKind::Unauthorized,
        403 => ErrorKind::Forbidden,
        409 => ErrorKind::Conflict,
        429 => ErrorKind::RateLimited,
        500..=599 => ErrorKind::Server,
        _ => ErrorKind::BadRequest,
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if !self.message.is_empty() && !self.field_errors.is_empty() {
            let fields: Vec<String> = self
                .field_errors
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .filter(|line| !self.message.contains(line.as_str()))
                .collect();
            if !fields.is_empty() {
                write!(f, " ({})", fields.join("; "))?;
            }
        }
        if !self.method.is_empty() {
            match self.status {
                Some(status) => write!(f, " [{} {} → HTTP {}]", self.method, self.path, status)?,
                None if self.not_sent && !self.message.starts_with("not sent") => write!(
                    f,
                    " [{} {}: no connection to the API]",
                    self.method, self.path
                )?,
                None => write!(f, " [{} {}]", self.method, self.path)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_found_is_an_answer_and_other_errors_stay_errors() {
        let gone = || -> Result<u8, ApiError> {
            Err(ApiError::from_response(
                "GET",
                "/p",
                404,
                br#"{"message":"not found"}"#,
            ))
        };
        let refused = || -> Result<u8, ApiError> {
            Err(ApiError::from_response(
                "GET",
                "/p",
                409,
                br#"{"message":"busy"}"#,
            ))
        };
        assert_eq!(Ok::<u8, ApiError>(7).found().unwrap(), Some(7));
        assert_eq!(gone().found().unwrap(), None);
        assert_eq!(refused().found().unwrap_err().kind, ErrorKind::Conflict);
        assert!(Ok::<u8, ApiError>(7).ok_if_not_found().is_ok());
        assert!(gone().ok_if_not_found().is_ok());
        assert_eq!(
            refused().ok_if_not_found().unwrap_err().kind,
            ErrorKind::Conflict
        );
    }

    #[test]
    fn classifies_the_three_error_shapes() {
        let vm = ApiError::from_response(
            "GET",
            "/v1/jkt01/user-resource/vm",
            400,
            br#"{"errors":{"Error":"No such virtual machine exists. abc"}}"#,
        );
        assert_eq!(vm.kind, ErrorKind::NotFound);
        assert_eq!(vm.message, "No such virtual machine exists. abc");

        let net = ApiError::from_response(
            "GET",
            "/p",
            400,
            br#"{"message":"Network UUID is invalid."}"#,
        );
        assert_eq!(net.kind, ErrorKind::NotFound);

        let route = ApiError::from_response(
            "GET",
            "/v1/nope/user-resource/vm/list",
            404,
            br#"{"message":"no route and no API found with those values"}"#,
        );
        assert_eq!(route.kind, ErrorKind::UnknownLocation);

        let validation = ApiError::from_response(
            "POST",
            "/v1/user-resource/vm",
            400,
            br#"{"errors":{"vcpu":"must be at most 16","name":"required"}}"#,
        );
        assert_eq!(validation.kind, ErrorKind::Validation);
        assert_eq!(validation.field_errors.len(), 2);
        assert!(validation.to_string().contains("vcpu: must be at most 16"));

        let auth = ApiError::from_response(
            "GET",
            "/v1/config/locations",
            403,
            br#"{"message":"Invalid authentication credentials"}"#,
        );
        assert_eq!(auth.kind, ErrorKind::Forbidden);
        assert!(auth
            .to_string()
            .starts_with("Invalid authentication credentials"));
        assert!(auth.to_string().contains("GET /v1/config/locations"));
    }

    #[test]
    fn nested_msg_errors() {
        let e = ApiError::from_response(
            "POST",
            "/v1/payment/pay_all",
            403,
            br#"{"errors":{"consumer::resource_forbidden":{"msg":"Not allowed","type":"x"}}}"#,
        );
        assert!(
            e.to_string()
                .contains("consumer::resource_forbidden: Not allowed"),
            "{e}"
        );
    }

    #[test]
    fn other_statuses() {
        for (status, body, kind) in [
            (401, &b""[..], ErrorKind::Unauthorized),
            (409, b"{}", ErrorKind::Conflict),
            (429, b"", ErrorKind::RateLimited),
            (503, b"oops", ErrorKind::Server),
        ] {
            assert_eq!(
                ApiError::from_response("G", "/", status, body).kind,
                kind,
                "{status}"
            );
        }
        assert_eq!(
            ApiError::from_response("G", "/", 503, b"oops").message,
            "oops"
        );
        let not_found = ApiError::from_response("G", "/", 404, br#"{"message":"Disk not found"}"#);
        assert!(not_found.is_not_found());
    }
}
