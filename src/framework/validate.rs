//! Attribute validators, run at plan time on every known configuration value so a
//! bad input is reported with the attribute's name before anything is created.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use super::value::Dyn;

type CheckFn = dyn Fn(&Dyn) -> Result<(), String> + Send + Sync;

#[derive(Clone)]
pub enum Validator {
    OneOf(&'static [&'static str]),
    IntRange(i64, i64),
    /// The value must match; the message says what was expected.
    Pattern(&'static str, &'static str),
    Duration,
    /// An IPv4/IPv6 address or CIDR prefix.
    IpOrCidr,
    Regex,
    NotEmpty,
    /// Applies the inner validator to each element of a list, set or map.
    Each(Box<Validator>),
    Custom(Arc<CheckFn>),
}

impl Validator {
    pub fn custom(f: impl Fn(&Dyn) -> Result<(), String> + Send + Sync + 'static) -> Self {
        Validator::Custom(Arc::new(f))
    }

    pub fn each(inner: Validator) -> Self {
        Validator::Each(Box::new(inner))
    }

    /// Checks a value; unknown and null values pass (they are checked once known).
    pub fn check(&self, value: &Dyn) -> Result<(), String> {
        if !value.is_wholly_known() && !matches!(self, Validator::Each(_)) || value.is_null() {
            return Ok(());
        }
        match self {
            Validator::OneOf(allowed) => match value.as_str() {
                Some(s) if allowed.contains(&s) => Ok(()),
                Some(s) => Err(format!(
                    "{s:?} is not one of {}.",
                    allowed
                        .iter()
                        .map(|a| format!("{a:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                None => Err("expected a string".into()),
            },
            Validator::IntRange(min, max) => match value.as_f64() {
                Some(n) if n.fract() != 0.0 => Err(format!("{n} is not a whole number.")),
                // Compared as floats: a huge number must not saturate into range.
                Some(n) if n < *min as f64 || n > *max as f64 => {
                    Err(format!("{n} is {}.", describe_range(*min, *max)))
                }
                Some(_) => Ok(()),
                None => Err("expected a number".into()),
            },
            Validator::Pattern(pattern, expected) => {
                let re = regex::Regex::new(pattern).expect("validator patterns are valid");
                match value.as_str() {
                    Some(s) if re.is_match(s) => Ok(()),
                    Some(s) => Err(format!("{s:?} is not {expected}.")),
                    None => Err("expected a string".into()),
                }
            }
            Validator::Duration => match value.as_str() {
                // A zero deadline would fail every operation at once.
                Some(s) => match parse_duration(s)? {
                    d if d.is_zero() => Err(format!(
                        "{s:?} is no time at all: a deadline must be longer than zero, like \"30s\" or \"10m\"."
                    )),
                    _ => Ok(()),
                },
                None => Err("expected a duration string".into()),
            },
            Validator::IpOrCidr => match value.as_str() {
                Some(s) => parse_ip_or_cidr(s).map(|_| ()),
                None => Err("expected a string".into()),
            },
            Validator::Regex => match value.as_str() {
                Some(s) => regex::Regex::new(s)
                    .map(|_| ())
                    .map_err(|e| format!("{s:?} is not a valid regular expression: {e}")),
                None => Err("expected a string".into()),
            },
            Validator::NotEmpty => match value.as_str() {
                Some(s) if s.trim().is_empty() => Err("must not be empty.".into()),
                _ => Ok(()),
            },
            Validator::Each(inner) => {
                let items: Vec<&Dyn> = match value {
                    Dyn::List(items) => items.iter().collect(),
                    Dyn::Object(map) => map.values().collect(),
                    _ => Vec::new(),
                };
                // Every bad element, not only the first.
                let problems: Vec<String> = items
                    .into_iter()
                    .filter_map(|item| inner.check(item).err())
                    .collect();
                if problems.is_empty() {
                    Ok(())
                } else {
                    Err(problems.join(" "))
                }
            }
            Validator::Custom(f) => f(value),
        }
    }
}

/// What an allowed range is, in words ("(at least 1)", "of 1 to 65535").
fn describe_range(min: i64, max: i64) -> String {
    match (min, max) {
        (min, i64::MAX) => format!("outside the allowed range (at least {min})"),
        (i64::MIN, max) => format!("outside the allowed range (at most {max})"),
        (min, max) => format!("outside the allowed range of {min} to {max}"),
    }
}

/// The longest deadline a `timeouts` value may set (a year).
pub const MAX_DURATION: Duration = Duration::from_secs(365 * 24 * 3600);

/// Parses Terraform-style durations: `90s`, `10m`, `1h30m`, `500ms`, up to
/// `MAX_DURATION`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let invalid = || format!("{text:?} is not a duration like \"30s\", \"10m\" or \"1h30m\".");
    let too_long = || format!("{text:?} is longer than the maximum of 8760h (a year).");
    let mut total = Duration::ZERO;
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(invalid());
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(invalid)?;
        if digits == 0 {
            return Err(invalid());
        }
        let amount: f64 = rest[..digits].parse().map_err(|_| invalid())?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let seconds = match &rest[..unit_len] {
            "ms" => amount / 1000.0,
            "s" => amount,
            "m" => amount * 60.0,
            "h" => amount * 3600.0,
            _ => return Err(invalid()),
        };
        let part = Duration::try_from_secs_f64(seconds).map_err(|_| too_long())?;
        total = total
            .checked_add(part)
            .filter(|t| *t <= MAX_DURATION)
            .ok_or_else(too_long)?;
        rest = &rest[unit_len..];
    }
    Ok(total)
}

/// An address or prefix, returned as (address, prefix length).
pub fn parse_ip_or_cidr(text: &str) -> Result<(IpAddr, u8), String> {
    let (addr, prefix) = match text.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (text, None),
    };
    let ip: IpAddr = addr
        .parse()
        .map_err(|_| format!("{text:?} is not a valid IP address or CIDR prefix."))?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let len = match prefix {
        Some(p) => p
            .parse::<u8>()
            .ok()
            .filter(|l| *l <= max)
            .ok_or_else(|| format!("{text:?} has an invalid prefix length (0 to {max})."))?,
        None => max,
    };
    Ok((ip, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s").unwrap(), Duration::from_secs(90));
        for zero in ["0s", "0m", "0h0m"] {
            let refused = Validator::Duration.check(&Dyn::str(zero)).unwrap_err();
            assert!(refused.contains("longer than zero"), "{zero}: {refused}");
        }
        assert!(Validator::Duration.check(&Dyn::str("1s")).is_ok());
        assert_eq!(parse_duration("1h30m").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert!(parse_duration("10").is_err());
        assert!(parse_duration("ten minutes").is_err());
        assert!(parse_duration("").is_err());
        for huge in [
            "99999999999999999999h",
            "8761h",
            "5000000000000000h",
            "8760h1s",
        ] {
            let message = parse_duration(huge).unwrap_err();
            assert!(message.contains("maximum of 8760h"), "{huge}: {message}");
        }
        assert_eq!(parse_duration("8760h").unwrap(), MAX_DURATION);
    }

    #[test]
    fn ip_or_cidr() {
        assert_eq!(parse_ip_or_cidr("10.0.0.1").unwrap().1, 32);
        assert_eq!(parse_ip_or_cidr("10.0.0.0/8").unwrap().1, 8);
        assert_eq!(parse_ip_or_cidr("2001:db8::/32").unwrap().1, 32);
        assert!(parse_ip_or_cidr("10.0.0.0/33").is_err());
        assert!(parse_ip_or_cidr("300.1.1.1").is_err());
    }

    #[test]
    fn validators_report_the_problem() {
        let one_of = Validator::OneOf(&["running", "stopped"]);
        assert!(one_of.check(&Dyn::str("running")).is_ok());
        assert!(one_of
            .check(&Dyn::str("paused"))
            .unwrap_err()
            .contains("\"paused\""));
        assert!(one_of.check(&Dyn::Unknown).is_ok());
        let ports = Validator::IntRange(1, 65535)
            .check(&Dyn::int(0))
            .unwrap_err();
        assert_eq!(ports, "0 is outside the allowed range of 1 to 65535.");
        let positive = Validator::IntRange(1, i64::MAX);
        assert_eq!(
            positive.check(&Dyn::int(0)).unwrap_err(),
            "0 is outside the allowed range (at least 1)."
        );
        assert!(
            positive.check(&Dyn::Number(1e30)).is_err(),
            "no saturation into range"
        );
        assert!(Validator::Regex.check(&Dyn::str("(")).is_err());
        let each = Validator::each(Validator::IpOrCidr);
        assert!(each
            .check(&Dyn::List(vec![Dyn::str("10.0.0.1"), Dyn::Unknown]))
            .is_ok());
        let both = each
            .check(&Dyn::List(vec![
                Dyn::str("10.0.0.1/40"),
                Dyn::str("10.0.0.1"),
                Dyn::str("300.1.1.1"),
            ]))
            .unwrap_err();
        assert!(
            both.contains("10.0.0.1/40") && both.contains("300.1.1.1"),
            "every bad element is reported: {both}"
        );
    }
}
