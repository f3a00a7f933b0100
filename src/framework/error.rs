//! The error a resource operation returns: what went wrong, for which attribute, and
//! (for a create that half-succeeded) the state Terraform must keep tracking.

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

    /// The state (a resource's state struct) of what exists on the server
    /// although the operation failed: Terraform keeps tracking it.
    pub fn with_state<S: serde::Serialize>(mut self, state: &S) -> Self {
        self.partial_state = Some(super::typed::to_state(state));
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
    /// The sensitive and write-only values of the call: never in a diagnostic.
    hidden: Hidden,
}

/// Values to hide; its `Debug` prints how many, never what.
#[derive(Default)]
struct Hidden(Vec<String>);

impl std::fmt::Debug for Hidden {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{} hidden values]", self.0.len())
    }
}

/// What stands in a diagnostic for a sensitive value.
pub const REDACTED: &str = "(sensitive value)";

impl Diagnostics {
    /// Registers the values of sensitive and write-only attributes in hand, so that
    /// no diagnostic of this call can show them, or a part of them: every form a
    /// message might quote is hidden (the value, its lines, its long words, and the
    /// same escaped as Rust's `{:?}` writes it).
    pub fn hide(&mut self, secrets: impl IntoIterator<Item = String>) {
        for secret in secrets {
            let mut forms = vec![secret.clone(), secret.trim().to_owned()];
            let escaped = format!("{secret:?}");
            forms.push(escaped.trim_matches('"').to_owned());
            let trimmed = format!("{:?}", secret.trim());
            forms.push(trimmed.trim_matches('"').to_owned());
            forms.extend(
                secret
                    .lines()
                    .map(|l| l.trim().to_owned())
                    .filter(|l| l.chars().count() >= 8),
            );
            forms.extend(
                secret
                    .split_whitespace()
                    .filter(|w| w.chars().count() >= 16)
                    .map(str::to_owned),
            );
            for form in forms {
                // Very short values (`1`, `on`) would blank out ordinary words.
                if form.chars().count() >= 4 && !self.hidden.0.contains(&form) {
                    self.hidden.0.push(form);
                }
            }
        }
        // Longest first: a value is hidden whole before its parts are looked for.
        self.hidden.0.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    /// `text` with every hidden value replaced by [`REDACTED`].
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.hidden.0 {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), REDACTED);
            }
        }
        out
    }

    /// Errors and warnings with every hidden value replaced: what may be shown and
    /// logged.
    pub fn scrubbed(self) -> Diagnostics {
        let clean = |e: OpError| OpError {
            summary: self.scrub(&e.summary),
            detail: self.scrub(&e.detail),
            ..e
        };
        Diagnostics {
            errors: self.errors.clone().into_iter().map(clean).collect(),
            warnings: self.warnings.clone().into_iter().map(clean).collect(),
            hidden: Hidden::default(),
        }
    }

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
    fn hidden_values_never_reach_a_diagnostic_in_any_form() {
        let key = "-----BEGIN KEY-----\nAAAAB3NzaC1yc2EAAAADAQABAAABgQC7\n-----END KEY-----\n";
        let mut diags = Diagnostics::default();
        diags.hide([key.to_owned(), "Pw1234567".to_owned(), "on".to_owned()]);
        diags
            .error(&OpError::new(format!("bad {key:?} and {}", key.trim())).detail("Pw1234567 on"));
        diags.warning(&OpError::new("AAAAB3NzaC1yc2EAAAADAQABAAABgQC7 alone"));
        let debug = format!("{:?}", diags.hidden);
        assert!(
            debug.ends_with(" hidden values]") && !debug.contains("Pw"),
            "{debug}"
        );
        let clean = diags.scrubbed();
        let text = format!("{:?} {:?}", clean.errors, clean.warnings);
        assert!(!text.contains("AAAAB3Nza"), "{text}");
        assert!(!text.contains("BEGIN KEY"), "{text}");
        assert!(!text.contains("Pw1234567"), "{text}");
        assert!(text.contains(REDACTED), "{text}");
        // Too short to hide without blanking ordinary words.
        assert!(text.contains(" on"), "{text}");
    }

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
}
