//! `ephemeral "idcloudhost_vm_password"`: a strong password generated in the
//! provider for one run, for `password_wo` (and other write-only arguments)
//! without a random provider and without state. The defaults satisfy the API's
//! VM password rule (at least 8 characters with a lowercase letter, an uppercase
//! letter and a digit).

use async_trait::async_trait;
use rand::rngs::OsRng;
use rand::seq::SliceRandom;
use rand::Rng;

use crate::context::ProviderData;
use crate::framework::{
    Attr, Dyn, EphemeralResourceType, Obj, OpError, Opened, SchemaSpec, Ty, Validator,
};
use crate::obj;

pub struct VmPassword;

const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS: &str = "0123456789";
/// Special characters that survive shells, YAML (cloud-init) and `user:password`
/// lines unquoted: no quotes, backslash, `$`, `:` or spaces.
pub const DEFAULT_SPECIAL: &str = "!#%+-.=@^_~";
pub const DEFAULT_LENGTH: i64 = 24;
/// The API's rule asks for 8; the upper bound keeps the value sane for any login.
const MIN_LENGTH: i64 = 8;
const MAX_LENGTH: i64 = 128;

/// What a generated password is made of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordRule {
    pub length: usize,
    pub lower: bool,
    pub upper: bool,
    pub numeric: bool,
    /// The special characters to use; empty for none.
    pub special: String,
}

impl Default for PasswordRule {
    fn default() -> Self {
        PasswordRule {
            length: DEFAULT_LENGTH as usize,
            lower: true,
            upper: true,
            numeric: true,
            special: String::new(),
        }
    }
}

impl PasswordRule {
    fn classes(&self) -> Vec<Vec<char>> {
        [
            (self.lower, LOWER),
            (self.upper, UPPER),
            (self.numeric, DIGITS),
            (!self.special.is_empty(), self.special.as_str()),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, chars)| {
            let mut set: Vec<char> = chars.chars().collect();
            set.sort_unstable();
            set.dedup();
            set
        })
        .collect()
    }
}

/// A password of `rule.length` characters drawn from the operating system's
/// random source: at least one of each enabled class, the rest from all of them,
/// in random order. `None` when no class is enabled or the length cannot hold
/// one of each.
pub fn generate_password(rule: &PasswordRule) -> Option<String> {
    let classes = rule.classes();
    if classes.is_empty() || rule.length < classes.len() {
        return None;
    }
    let mut rng = OsRng;
    let all: Vec<char> = classes.iter().flatten().copied().collect();
    let mut chars: Vec<char> = classes
        .iter()
        .map(|class| class[rng.gen_range(0..class.len())])
        .collect();
    while chars.len() < rule.length {
        chars.push(all[rng.gen_range(0..all.len())]);
    }
    chars.shuffle(&mut rng);
    Some(chars.into_iter().collect())
}

fn special_characters(value: &Dyn) -> Result<(), String> {
    let Some(text) = value.as_str() else {
        return Err("expected a string".into());
    };
    if text.is_empty() {
        return Err("must not be empty: set special = false for no special characters.".into());
    }
    let bad: Vec<String> = text
        .chars()
        .filter(|c| !c.is_ascii_punctuation())
        .map(|c| format!("{c:?}"))
        .collect();
    if bad.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "only ASCII punctuation characters are allowed (not {}).",
            bad.join(", ")
        ))
    }
}

fn rule_of(config: &Obj) -> PasswordRule {
    let on = |name: &str| config.get(name).and_then(Dyn::as_bool).unwrap_or(true);
    let special = config.get("special").and_then(Dyn::as_bool) == Some(true);
    PasswordRule {
        length: config
            .get("length")
            .and_then(Dyn::as_i64)
            .unwrap_or(DEFAULT_LENGTH)
            .max(0) as usize,
        lower: on("lower"),
        upper: on("upper"),
        numeric: on("numeric"),
        special: if special {
            config
                .get("special_characters")
                .and_then(Dyn::as_str)
                .unwrap_or(DEFAULT_SPECIAL)
                .to_owned()
        } else {
            String::new()
        },
    }
}

#[async_trait]
impl EphemeralResourceType for VmPassword {
    type Platform = ProviderData;
    const NAME: &'static str = "vm_password";

    fn schema(&self) -> SchemaSpec {
        let class = |name: &'static str, what: &str, default: bool| {
            Attr::optional(name, Ty::Bool)
                .desc(format!(
                    "Use {what} (default `{default}`); at least one is included when enabled."
                ))
                .default(default)
        };
        SchemaSpec::new(
            "A strong password generated in the provider (from the operating system's random \
             source) for one Terraform run, never written to the plan or the state: for \
             `idcloudhost_vm.password_wo` and other write-only arguments. A new password is \
             generated on every run; a write-only argument sends it only when its version \
             changes, so bump `password_wo_version` to set a new one. The defaults satisfy the \
             API's VM password rule (at least 8 characters with a lowercase letter, an \
             uppercase letter and a digit).",
        )
        .attr(
            Attr::optional("length", Ty::Number)
                .desc(format!(
                    "Number of characters, {MIN_LENGTH} to {MAX_LENGTH} (default {DEFAULT_LENGTH})."
                ))
                .default(Dyn::int(DEFAULT_LENGTH))
                .validate(Validator::IntRange(MIN_LENGTH, MAX_LENGTH)),
        )
        .attr(class("lower", "lowercase letters (`a-z`)", true))
        .attr(class("upper", "uppercase letters (`A-Z`)", true))
        .attr(class("numeric", "digits (`0-9`)", true))
        .attr(
            Attr::optional("special", Ty::Bool)
                .desc("Use the characters of `special_characters` (default `false`: some login and cloud-init paths mishandle special characters); at least one is included when enabled.")
                .default(false),
        )
        .attr(
            Attr::optional("special_characters", Ty::String)
                .desc(format!(
                    "The special characters `special` uses: ASCII punctuation (default `{DEFAULT_SPECIAL}`, which survives shells, YAML and `user:password` lines unquoted)."
                ))
                .default(DEFAULT_SPECIAL)
                .validate(Validator::custom(special_characters)),
        )
        .attr(
            Attr::computed("password", Ty::String)
                .desc("The generated password.")
                .sensitive(),
        )
    }

    fn validate(&self, config: &Obj) -> Vec<OpError> {
        let classes = ["lower", "upper", "numeric", "special"];
        let known = classes.iter().all(|c| {
            config
                .get(*c)
                .is_none_or(|v| v.is_null() || v.as_bool().is_some())
        });
        let rule = rule_of(config);
        let any_on = rule.lower
            || rule.upper
            || rule.numeric
            || config.get("special").and_then(Dyn::as_bool) == Some(true);
        if known && !any_on {
            return vec![OpError::invalid(
                "lower",
                "every character class is disabled: enable at least one of lower, upper, numeric and special.",
            )];
        }
        Vec::new()
    }

    async fn open(&self, _ctx: &ProviderData, config: &Obj) -> Result<Opened, OpError> {
        let rule = rule_of(config);
        let password = generate_password(&rule).ok_or_else(|| {
            OpError::invalid(
                "length",
                "too short to hold one character of each enabled class.",
            )
        })?;
        Ok(Opened {
            result: obj! { "password" => password },
            private: Dyn::Null,
            renew_at: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The API's VM password rule: `^(?=.*[a-z])(?=.*[A-Z])(?=.*\d).{8,}$`.
    fn meets_api_rule(p: &str) -> bool {
        p.chars().count() >= 8
            && p.chars().any(|c| c.is_ascii_lowercase())
            && p.chars().any(|c| c.is_ascii_uppercase())
            && p.chars().any(|c| c.is_ascii_digit())
    }

    #[test]
    fn defaults_satisfy_the_api_password_rule() {
        for _ in 0..200 {
            let p = generate_password(&PasswordRule::default()).unwrap();
            assert_eq!(p.len(), 24);
            assert!(meets_api_rule(&p), "{p}");
            assert!(p.chars().all(|c| c.is_ascii_alphanumeric()), "{p}");
        }
        // The shortest allowed, with every class on, still has one of each.
        let rule = PasswordRule {
            length: 8,
            special: DEFAULT_SPECIAL.into(),
            ..PasswordRule::default()
        };
        for _ in 0..200 {
            let p = generate_password(&rule).unwrap();
            assert!(meets_api_rule(&p), "{p}");
            assert!(p.chars().any(|c| DEFAULT_SPECIAL.contains(c)), "{p}");
        }
    }

    #[test]
    fn passwords_differ_and_use_only_the_enabled_classes() {
        let rule = PasswordRule {
            length: 40,
            upper: false,
            numeric: false,
            ..PasswordRule::default()
        };
        let a = generate_password(&rule).unwrap();
        let b = generate_password(&rule).unwrap();
        assert_ne!(a, b);
        assert!(a.chars().all(|c| c.is_ascii_lowercase()), "{a}");
        assert_eq!(
            generate_password(&PasswordRule {
                lower: false,
                upper: false,
                numeric: false,
                ..PasswordRule::default()
            }),
            None
        );
    }

    #[test]
    fn configuration_checks_name_the_attribute() {
        let errors = VmPassword.validate(&obj! {
            "lower" => false, "upper" => false, "numeric" => false, "special" => false,
        });
        assert_eq!(errors[0].attr, "lower");
        assert!(VmPassword.validate(&obj! { "lower" => false }).is_empty());
        assert!(VmPassword
            .validate(&obj! { "lower" => Dyn::Unknown, "upper" => false, "numeric" => false })
            .is_empty());
        assert!(special_characters(&Dyn::str("-_")).is_ok());
        assert!(special_characters(&Dyn::str("a!")).is_err());
        assert!(special_characters(&Dyn::str(" ")).is_err());
    }
}
