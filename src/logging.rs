//! Logs for `TF_LOG` / `TF_LOG_PROVIDER`. Terraform reads a plugin's stderr
//! through go-plugin, which takes a line that is an hclog JSON object
//! (`@level`, `@message`, `@timestamp`, other keys as fields) and logs it at that
//! level under the provider's logger; so every record here is one such line.
//!
//! What is logged never includes a request or response body, a header, or a
//! value of the configuration: callers pass method, path, status and timings.

use std::io::Write;
use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
}

impl Level {
    fn name(self) -> &'static str {
        match self {
            Level::Trace => "trace",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        }
    }

    /// The level a `TF_LOG` value asks for; `None` turns logging off. Terraform
    /// treats any value it does not know (`JSON`, `1`) as trace.
    pub fn from_env_value(value: &str) -> Option<Level> {
        match value.trim().to_ascii_lowercase().as_str() {
            "" | "off" => None,
            "debug" => Some(Level::Debug),
            "info" => Some(Level::Info),
            "warn" => Some(Level::Warn),
            "error" => Some(Level::Error),
            _ => Some(Level::Trace),
        }
    }
}

/// The lowest level written: from `TF_LOG_PROVIDER`, else `TF_LOG` (Terraform
/// hands its environment to the plugin). Unset: nothing is written.
fn threshold() -> Option<Level> {
    static THRESHOLD: OnceLock<Option<Level>> = OnceLock::new();
    *THRESHOLD.get_or_init(|| {
        std::env::var("TF_LOG_PROVIDER")
            .ok()
            .filter(|v| !v.trim().is_empty())
            .or_else(|| std::env::var("TF_LOG").ok())
            .and_then(|v| Level::from_env_value(&v))
    })
}

pub fn enabled(level: Level) -> bool {
    threshold().is_some_and(|lowest| level >= lowest)
}

/// Module names, as `@module` in Terraform's log.
pub const MODULE_RPC: &str = "provider.idcloudhost";
pub const MODULE_API: &str = "provider.idcloudhost.api";

/// Writes one record when its level is enabled.
pub fn log(level: Level, module: &str, message: &str, fields: &[(&str, Value)]) {
    if !enabled(level) {
        return;
    }
    let line = record(level, module, message, fields, SystemTime::now());
    // One write of a whole line, so records of concurrent operations never interleave.
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

fn record(
    level: Level,
    module: &str,
    message: &str,
    fields: &[(&str, Value)],
    now: SystemTime,
) -> String {
    let mut map = Map::new();
    map.insert("@level".into(), level.name().into());
    map.insert("@message".into(), message.into());
    map.insert("@module".into(), module.into());
    map.insert("@timestamp".into(), timestamp(now).into());
    for (key, value) in fields {
        map.insert((*key).to_owned(), value.clone());
    }
    let mut line = Value::Object(map).to_string();
    line.push('\n');
    line
}

/// `2006-01-02T15:04:05.000000Z`: the only layout go-plugin parses.
fn timestamp(now: SystemTime) -> String {
    let since = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        since.subsec_micros()
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// One plugin RPC, logged the way Terraform's own SDKs do: "Received request" when
/// it starts and "Served request" (with its duration) when it ends, at trace.
pub struct Rpc {
    rpc: &'static str,
    type_name: String,
    started: Instant,
}

impl Rpc {
    /// `type_name`: the resource or data source type, empty for provider RPCs.
    pub fn start(rpc: &'static str, type_name: &str) -> Rpc {
        let rpc = Rpc {
            rpc,
            type_name: type_name.to_owned(),
            started: Instant::now(),
        };
        rpc.log("Received request", &[]);
        rpc
    }

    fn log(&self, message: &str, extra: &[(&str, Value)]) {
        if !enabled(Level::Trace) {
            return;
        }
        let mut fields = vec![("tf_rpc", Value::from(self.rpc))];
        if !self.type_name.is_empty() {
            let key = if self.rpc.contains("Data") {
                "tf_data_source_type"
            } else {
                "tf_resource_type"
            };
            fields.push((key, Value::from(self.type_name.as_str())));
        }
        fields.extend(extra.iter().cloned());
        log(Level::Trace, MODULE_RPC, message, &fields);
    }
}

impl Drop for Rpc {
    fn drop(&mut self) {
        let elapsed = self.started.elapsed().as_millis() as u64;
        self.log("Served request", &[("tf_req_duration_ms", elapsed.into())]);
    }
}

/// A diagnostic returned to Terraform, logged at error or warn as Terraform's SDKs
/// do ("Response contains error diagnostic").
pub fn diagnostic(level: Level, summary: &str, detail: &str) {
    let message = if level == Level::Error {
        "Response contains error diagnostic"
    } else {
        "Response contains warning diagnostic"
    };
    log(
        level,
        MODULE_RPC,
        message,
        &[
            ("diagnostic_summary", summary.into()),
            ("diagnostic_detail", detail.into()),
        ],
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timestamps_use_the_layout_go_plugin_parses() {
        let t = UNIX_EPOCH + Duration::from_micros(1_700_000_000_123_456);
        assert_eq!(timestamp(t), "2023-11-14T22:13:20.123456Z");
        assert_eq!(timestamp(UNIX_EPOCH), "1970-01-01T00:00:00.000000Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert!(timestamp(leap).starts_with("2000-02-29T00:00:00"));
    }

    #[test]
    fn a_record_is_one_hclog_json_line() {
        let line = record(
            Level::Debug,
            MODULE_API,
            "API request",
            &[("http_status", 200.into())],
            UNIX_EPOCH,
        );
        assert!(line.ends_with('\n') && !line.trim_end().contains('\n'));
        let parsed: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(parsed["@level"], "debug");
        assert_eq!(parsed["@message"], "API request");
        assert_eq!(parsed["@module"], MODULE_API);
        assert_eq!(parsed["http_status"], 200);
    }

    #[test]
    fn levels_from_tf_log() {
        assert_eq!(Level::from_env_value("TRACE"), Some(Level::Trace));
        assert_eq!(Level::from_env_value("json"), Some(Level::Trace));
        assert_eq!(Level::from_env_value("debug"), Some(Level::Debug));
        assert_eq!(Level::from_env_value("off"), None);
        assert_eq!(Level::from_env_value(""), None);
        assert!(Level::Error > Level::Debug);
    }
}
