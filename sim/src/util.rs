//! Small helpers: uuids, timestamps, random values.

use rand::Rng;
use std::time::{SystemTime, UNIX_EPOCH};

/// A random version-4 UUID in its canonical textual form.
pub fn uuid_v4() -> String {
    let mut b: [u8; 16] = rand::thread_rng().gen();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// True when `s` looks like a canonical UUID (any version).
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 36 {
        return false;
    }
    b.iter().enumerate().all(|(i, c)| match i {
        8 | 13 | 18 | 23 => *c == b'-',
        _ => c.is_ascii_hexdigit(),
    })
}

/// Broken-down UTC time.
pub struct Utc {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub min: u32,
    pub sec: u32,
    pub micros: u32,
}

pub fn now() -> Utc {
    let d = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    from_unix(d.as_secs() as i64, d.subsec_micros())
}

pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Seconds since the Unix epoch, with the fraction.
pub fn unix_now_f64() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

pub fn from_unix(secs: i64, micros: u32) -> Utc {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = if m <= 2 { y + 1 } else { y };
    Utc {
        year,
        month: m,
        day: d,
        hour: (rem / 3600) as u32,
        min: ((rem % 3600) / 60) as u32,
        sec: (rem % 60) as u32,
        micros,
    }
}

/// `2018-02-22 14:24:13`
pub fn ts() -> String {
    let t = now();
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year, t.month, t.day, t.hour, t.min, t.sec
    )
}

/// `2018-02-22 14:24:13.766985`
pub fn ts_micro() -> String {
    let t = now();
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}",
        t.year, t.month, t.day, t.hour, t.min, t.sec, t.micros
    )
}

/// `2025-01-12T09:21:33Z`
pub fn ts_z() -> String {
    let t = now();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year, t.month, t.day, t.hour, t.min, t.sec
    )
}

/// `2022-09-01T12:03:14.355+0000`
pub fn ts_millis_offset() -> String {
    let t = now();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}+0000",
        t.year,
        t.month,
        t.day,
        t.hour,
        t.min,
        t.sec,
        t.micros / 1000
    )
}

/// `2018-12-21-14-05-33` (used in replica uuids)
pub fn ts_dashed() -> String {
    let t = now();
    format!(
        "{:04}-{:02}-{:02}-{:02}-{:02}-{:02}",
        t.year, t.month, t.day, t.hour, t.min, t.sec
    )
}

/// A locally administered KVM-style MAC address.
pub fn random_mac() -> String {
    let b: [u8; 3] = rand::thread_rng().gen();
    format!("52:54:00:{:02x}:{:02x}:{:02x}", b[0], b[1], b[2])
}

/// Random alphanumeric string.
pub fn random_alnum(len: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
        .collect()
}

/// Random upper-case alphanumeric string (S3 access keys).
pub fn random_upper(len: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
        .collect()
}

/// Parse a boolean the way the platform's form parser does.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" | "t" | "y" => Some(true),
        "false" | "0" | "no" | "off" | "f" | "n" | "" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_shape() {
        let u = uuid_v4();
        assert!(is_uuid(&u));
        assert_eq!(&u[14..15], "4");
    }

    #[test]
    fn civil() {
        let t = from_unix(1_519_309_453, 0); // 2018-02-22 14:24:13
        assert_eq!((t.year, t.month, t.day), (2018, 2, 22));
        assert_eq!((t.hour, t.min, t.sec), (14, 24, 13));
    }
}
