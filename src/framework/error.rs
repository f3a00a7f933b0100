//! The error a resource operation returns: what went wrong, for which attribute, and
//! (for a create that half-succeeded) the state Terraform must keep tracking.

use crate::api::{ApiError, ErrorKind};

use super::value::Obj;

#[derive(Debug, Clone)]
pub struct OpError {
    pub summary: String,
    pub detail: String,
    /// Dotted attribute path (`rule.0.port_start`), empty for the whole resource.
    pub attr: String,
    /// State of an object that exists on the server although the operation failed.
    pub partial_state: Option<Obj>,
    /// The error already says that the operation's deadline passed and what it
    /// waited for: the adapter reports it as it is.
    pub deadline_explained: bool,
}

impl OpError {
    pub fn new(summary: impl Into<String>) -> Self {
        OpError {
            summary: summary.into(),
            detail: String::new(),
            attr: String::new(),
            partial_state: None,
            deadline_explained: false,
        }
    }

    /// An invalid value of attribute `attr`.
    pub fn invalid(attr: &str, detail: impl Into<String>) -> Self {
        OpError::new(format!("Invalid value for {attr}"))
            .detail(detail)
            .at(attr)
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }

    pub fn at(mut self, attr: &str) -> Self {
        self.attr = attr.to_owned();
        self
    }

    pub fn with_state(mut self, state: Obj) -> Self {
        self.partial_state = Some(state);
        self
    }

    /// Prefixes the summary with what was being done.
    pub fn context(mut self, doing: &str) -> Self {
        self.summary = format!("{doing}: {}", self.summary);
        self
    }

    /// The steps of `attr`: attribute names, and list indexes where a step is a
    /// number.
    pub fn attribute_path(&self) -> Vec<PathStep> {
        self.attr
            .split('.')
            .filter(|s| !s.is_empty())
            .map(|step| match step.parse::<i64>() {
                Ok(index) => PathStep::Index(index),
                Err(_) => PathStep::Attribute(step.to_owned()),
            })
            .collect()
    }
}

/// One step of the attribute path a diagnostic points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    Attribute(String),
    Index(i64),
}

/// What one Terraform call reports besides its result.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub errors: Vec<OpError>,
    pub warnings: Vec<OpError>,
}

impl Diagnostics {
    pub fn error(&mut self, error: &OpError) {
        self.errors.push(error.without_state());
    }

    pub fn warning(&mut self, warning: &OpError) {
        self.warnings.push(warning.without_state());
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

impl OpError {
    fn without_state(&self) -> OpError {
        OpError {
            partial_state: None,
            ..self.clone()
        }
    }
}

impl From<ApiError> for OpError {
    fn from(e: ApiError) -> Self {
        let hint = match e.kind {
            ErrorKind::Unauthorized | ErrorKind::Forbidden => {
                "The API refused the API key: check the provider's api_key (or IDCLOUDHOST_API_KEY) and api_url."
            }
            ErrorKind::UnknownLocation => {
                "The API does not know this location slug: check `location` (resource or provider) against the idcloudhost_locations data source."
            }
            ErrorKind::WrongBrand => {
                "The API's brand differs from the one the provider assumed: see the message for the `brand` to set."
            }
            ErrorKind::RateLimited => "The API kept rate-limiting the request after all retries (max_retries).",
            ErrorKind::Server => "The API failed with a server error.",
            ErrorKind::Transport => "The API could not be reached or answered something unreadable.",
            _ => "",
        };
        OpError::new(e.to_string()).detail(hint)
    }
}

impl std::fmt::Display for OpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary)?;
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_paths_with_indexes() {
        let path = OpError::new("x").at("rule.1.port_start").attribute_path();
        assert_eq!(
            path,
            vec![
                PathStep::Attribute("rule".into()),
                PathStep::Index(1),
                PathStep::Attribute("port_start".into()),
            ]
        );
        assert!(OpError::new("x").attribute_path().is_empty());
    }

    #[test]
    fn api_errors_keep_their_message() {
        let api = ApiError::from_response(
            "GET",
            "/v1/config/locations",
            403,
            br#"{"message":"Invalid authentication credentials"}"#,
        );
        let op = OpError::from(api);
        assert!(op.summary.contains("Invalid authentication credentials"));
        assert!(op.detail.contains("api_key"));
    }
}
