//! Shared simulator state: accounts, per-location resources, request log, faults.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::families::{
    disk::Disk, firewall::Firewall, floating_ip::FloatingIp, load_balancer::LoadBalancer,
    network::Network, service::ServicePackage, ssh_key::SshKey, storage::Bucket, storage::S3Key,
    vm::Vm,
};

/// Location slugs served, in `order_nr` order. The first one is the account default.
pub const LOCATIONS: [&str; 3] = ["jkt01", "jkt02", "sgp01"];
pub const DEFAULT_LOCATION: &str = "jkt01";

pub fn is_location(s: &str) -> bool {
    LOCATIONS.contains(&s)
}

/// Whether `s` is a slug a simulator configured with `extra` serves.
pub fn serves_location(extra: &[String], s: &str) -> bool {
    is_location(s) || extra.iter().any(|e| e == s)
}

/// One entry of the request log served by `GET /__sim/requests`.
#[derive(Clone, Serialize)]
pub struct LogEntry {
    pub method: String,
    pub path: String,
    pub status: u16,
    /// The request's `User-Agent` header, `null` when absent.
    pub user_agent: Option<String>,
}

/// Fault injection settings (`POST /__sim/faults`).
#[derive(Clone, Deserialize, Serialize, Default)]
pub struct Faults {
    #[serde(default)]
    pub error_rate: f64,
    #[serde(default)]
    pub statuses: Vec<u16>,
    #[serde(default)]
    pub latency_ms: u64,
    /// Only requests with this method are affected (any when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Only requests whose path contains this are affected (any when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_contains: Option<String>,
    /// The request is carried out, then the failure is answered: a lost answer.
    #[serde(default)]
    pub after_effect: bool,
    /// A matching request takes effect this long after it arrives, every other
    /// request being served meanwhile; then it answers (or, with `after_effect`, fails).
    #[serde(default)]
    pub effect_delay_ms: u64,
    /// Seeds the fault generator, so which requests fail is the same on every run
    /// (for the same order of requests).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

impl Faults {
    pub fn applies_to(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self
                .path_contains
                .as_deref()
                .is_none_or(|p| path.contains(p))
    }
}

/// A billing account of an account (user).
#[derive(Clone)]
pub struct BillingAccount {
    pub id: i64,
    pub title: String,
    pub is_default: bool,
    pub created: i64,
}

/// Resources living in one location of one account.
#[derive(Default)]
pub struct Loc {
    pub vms: Vec<Vm>,
    pub networks: Vec<Network>,
    pub floating_ips: Vec<FloatingIp>,
    pub disks: Vec<Disk>,
    pub firewalls: Vec<Firewall>,
    pub load_balancers: Vec<LoadBalancer>,
}

/// One API key = one account (user).
pub struct Account {
    pub user_id: i64,
    pub email: String,
    pub billing_accounts: Vec<BillingAccount>,
    pub locs: HashMap<String, Loc>,
    pub ssh_keys: Vec<SshKey>,
    pub buckets: Vec<Bucket>,
    pub s3_keys: Vec<S3Key>,
    pub s3_user_created: Option<String>,
    pub services: Vec<ServicePackage>,
}

impl Account {
    fn new(index: usize) -> Account {
        let user_id = 268 + index as i64;
        let base = 129_000 + (index as i64) * 10;
        let created = 1_700_000_000 + (index as i64) * 86_400;
        Account {
            user_id,
            email: format!("user{}@example.com", index + 1),
            billing_accounts: vec![
                BillingAccount {
                    id: base + 1,
                    title: "Primary".to_string(),
                    is_default: true,
                    created,
                },
                BillingAccount {
                    id: base + 2,
                    title: "Projects".to_string(),
                    is_default: false,
                    created: created + 3600,
                },
            ],
            locs: HashMap::new(),
            ssh_keys: Vec::new(),
            buckets: Vec::new(),
            s3_keys: Vec::new(),
            s3_user_created: None,
            services: Vec::new(),
        }
    }

    /// Clear every resource, keeping the identity (user id, billing accounts).
    fn clear(&mut self) {
        self.locs.clear();
        self.ssh_keys.clear();
        self.buckets.clear();
        self.s3_keys.clear();
        self.s3_user_created = None;
        self.services.clear();
    }

    pub fn loc(&mut self, slug: &str) -> &mut Loc {
        self.locs.entry(slug.to_string()).or_default()
    }

    pub fn default_billing_id(&self) -> i64 {
        self.billing_accounts
            .iter()
            .find(|b| b.is_default)
            .or(self.billing_accounts.first())
            .map(|b| b.id)
            .unwrap_or(0)
    }

    pub fn has_billing(&self, id: i64) -> bool {
        self.billing_accounts.iter().any(|b| b.id == id)
    }
}

/// Allocators for ids and addresses, kept apart from the accounts so both can be
/// borrowed at once.
pub struct Alloc {
    next_num: i64,
    public_ip_next: HashMap<String, u32>,
    subnet_next: u32,
    ipv6_next: u32,
}

impl Alloc {
    fn new() -> Alloc {
        Alloc {
            next_num: 1000,
            public_ip_next: HashMap::new(),
            subnet_next: 0,
            ipv6_next: 0,
        }
    }

    pub fn next_id(&mut self) -> i64 {
        self.next_num += 1;
        self.next_num
    }

    /// Allocate a public IPv4 address in a location.
    pub fn public_ip(&mut self, slug: &str) -> String {
        let n = self.public_ip_next.entry(slug.to_string()).or_insert(0);
        let i = *n;
        *n += 1;
        let prefix = match slug {
            "jkt02" => "103.189",
            "sgp01" => "45.112",
            "jkt01" => "103.150",
            // An extra location: a /16 of 100.64.0.0/10 chosen by its name.
            other => {
                let k = other
                    .bytes()
                    .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
                return format!(
                    "100.{}.{}.{}",
                    64 + k % 64,
                    100 + (i / 240) % 150,
                    10 + i % 240
                );
            }
        };
        let third = 100 + (i / 240) % 150;
        let fourth = 10 + i % 240;
        format!("{prefix}.{third}.{fourth}")
    }

    /// Allocate a fresh private /24; returns the prefix `10.a.b`.
    pub fn subnet(&mut self) -> String {
        let i = self.subnet_next;
        self.subnet_next += 1;
        let a = 1 + (i / 200) % 250;
        let b = 20 + i % 200;
        format!("10.{a}.{b}")
    }

    pub fn ipv6(&mut self) -> String {
        self.ipv6_next += 1;
        format!(
            "2a05:1cc0:10:30::80:{:x}",
            0xfffe - (self.ipv6_next % 0xf000)
        )
    }
}

pub struct SimState {
    /// The pricing policy served (`GET /pricing/policy`, `PUT /__sim/pricing`).
    pub policy: serde_json::Value,
    /// The clock charges grow with (`POST /__sim/clock`).
    pub clock: crate::families::charging::Clock,
    /// This month's charges, one meter per resource (see `families::charging`).
    pub meters: Vec<crate::families::charging::Meter>,
    pub api_keys: Vec<String>,
    pub accounts: HashMap<String, Account>,
    pub log: Vec<LogEntry>,
    pub faults: Option<Faults>,
    /// The generator of a seeded `faults`.
    pub fault_rng: Option<rand::rngs::StdRng>,
    pub alloc: Alloc,
    /// Scales the live API's synchronous durations (VM create ~33 s, stop ~22 s,
    /// start ~4 s, delete ~1 s: field notes); 0 (the default) answers at once.
    pub time_factor: f64,
    /// Locations served after the three of the documents' examples
    /// (`SimConfig::extra_locations`); kept by a reset.
    pub extra_locations: Vec<String>,
}

impl SimState {
    pub fn new(api_keys: Vec<String>) -> SimState {
        let api_keys = if api_keys.is_empty() {
            vec!["sim-key".to_string()]
        } else {
            api_keys
        };
        let mut accounts = HashMap::new();
        for (i, k) in api_keys.iter().enumerate() {
            accounts.entry(k.clone()).or_insert_with(|| Account::new(i));
        }
        SimState {
            policy: crate::families::charging::documented_policy(),
            clock: Default::default(),
            meters: Vec::new(),
            api_keys,
            accounts,
            log: Vec::new(),
            faults: None,
            fault_rng: None,
            alloc: Alloc::new(),
            time_factor: 0.0,
            extra_locations: Vec::new(),
        }
    }

    pub fn is_valid_key(&self, key: &str) -> bool {
        self.accounts.contains_key(key)
    }

    /// Empty all resources of all accounts, the request log and the faults.
    pub fn reset(&mut self) {
        for a in self.accounts.values_mut() {
            a.clear();
        }
        self.log.clear();
        self.meters.clear();
        self.set_faults(None);
    }

    pub fn set_faults(&mut self, faults: Option<Faults>) {
        use rand::SeedableRng;
        self.fault_rng = faults
            .as_ref()
            .and_then(|f| f.seed)
            .map(rand::rngs::StdRng::seed_from_u64);
        self.faults = faults;
    }

    /// Whether a request that `faults` applies to fails, and with which status.
    pub fn draw_fault(&mut self, faults: &Faults) -> Option<u16> {
        fn draw(rng: &mut impl rand::Rng, f: &Faults) -> Option<u16> {
            if f.error_rate <= 0.0 || rng.gen::<f64>() >= f.error_rate {
                return None;
            }
            Some(if f.statuses.is_empty() {
                503
            } else {
                f.statuses[rng.gen_range(0..f.statuses.len())]
            })
        }
        match self.fault_rng.as_mut() {
            Some(seeded) => draw(seeded, faults),
            None => draw(&mut rand::thread_rng(), faults),
        }
    }

    pub fn account(&mut self, key: &str) -> Option<&mut Account> {
        self.accounts.get_mut(key)
    }

    /// The caller's account together with the allocators.
    pub fn split(&mut self, key: &str) -> Option<(&mut Account, &mut Alloc)> {
        let SimState {
            accounts, alloc, ..
        } = self;
        accounts.get_mut(key).map(|a| (a, alloc))
    }
}
