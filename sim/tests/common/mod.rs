#![allow(dead_code)]

use idcloudhost_sim::{Brand, SimConfig, Simulator};
use reqwest::blocking::{Client, RequestBuilder, Response};
use serde_json::Value;

pub struct T {
    pub sim: Simulator,
    pub client: Client,
    pub key: String,
}

pub fn start() -> T {
    start_with(&["sim-key"])
}

pub fn start_with(keys: &[&str]) -> T {
    start_config(SimConfig {
        api_keys: keys.iter().map(|k| k.to_string()).collect(),
        ..SimConfig::default()
    })
}

/// A simulator serving `brand`'s API document, with the key `sim-key`.
#[allow(dead_code)]
pub fn start_brand(brand: Brand) -> T {
    start_config(SimConfig {
        api_keys: vec!["sim-key".into()],
        brand,
        ..SimConfig::default()
    })
}

pub fn start_config(config: SimConfig) -> T {
    let keys = config.api_keys.clone();
    let sim = Simulator::start(config).expect("start simulator");
    T {
        sim,
        client: Client::new(),
        key: keys[0].to_string(),
    }
}

/// Percent-encode a form value the way a correct client does (space as %20).
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

impl T {
    pub fn url(&self, p: &str) -> String {
        format!("{}{}", self.sim.url(), p)
    }

    pub fn req(&self, method: &str, p: &str) -> RequestBuilder {
        let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        self.client
            .request(m, self.url(p))
            .header("apikey", self.key.clone())
    }

    pub fn req_key(&self, key: &str, method: &str, p: &str) -> RequestBuilder {
        let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        self.client.request(m, self.url(p)).header("apikey", key)
    }

    pub fn get(&self, p: &str) -> (u16, Value) {
        done(self.req("GET", p).send().expect("send"))
    }

    pub fn form(&self, method: &str, p: &str, fields: &[(&str, &str)]) -> (u16, Value) {
        done(
            self.req(method, p)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form_body(fields))
                .send()
                .expect("send"),
        )
    }

    pub fn json(&self, method: &str, p: &str, body: Value) -> (u16, Value) {
        done(self.req(method, p).json(&body).send().expect("send"))
    }

    pub fn call(&self, method: &str, p: &str) -> (u16, Value) {
        done(self.req(method, p).send().expect("send"))
    }

    pub fn ctl(&self, method: &str, p: &str, body: Option<Value>) -> (u16, Value) {
        let m = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut r = self.client.request(m, self.url(p));
        if let Some(b) = body {
            r = r.json(&b);
        }
        done(r.send().expect("send"))
    }
}

pub fn done(r: Response) -> (u16, Value) {
    let status = r.status().as_u16();
    let text = r.text().unwrap_or_default();
    let v = if text.trim().is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, v)
}
