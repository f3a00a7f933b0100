//! The platform's pricing policy (`GET /v1/pricing/policy`, read once per
//! provider process): what each billed object is metered by (`Meter`), the
//! prices an estimate takes from the policy, and the two cost attributes'
//! descriptions. The framework plans and refreshes the estimates
//! (`framework::cost`); `ProviderData` prices a meter for it
//! (`Platform::hourly_cost`).

use crate::api::models::payment::PricingPolicy;
use crate::context::ProviderData;
use crate::framework::cost::{round, Estimate, Measure, HOURLY, MONTHLY};
use crate::framework::schema::{Attr, Ty};
use crate::framework::warnings::warn;
use crate::framework::OpError;

/// Bytes in one gigabyte of object storage (GiB, like the disks' sizes).
pub const BYTES_PER_GB: f64 = 1024.0 * 1024.0 * 1024.0;

/// What an object is billed by, taken from its (planned or stored) values.
#[derive(Clone, Debug, PartialEq)]
pub enum Meter {
    /// An input is not known yet (known after apply).
    Unknown,
    Vm {
        vcpu: i64,
        ram_mb: i64,
        disk_gb: i64,
        backup: bool,
        windows: bool,
    },
    Disk {
        size_gb: i64,
    },
    Snapshot {
        size_gb: i64,
    },
    Bucket {
        size_bytes: i64,
    },
}

/// The prices an estimate uses, read from the policy's entries (per hour).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Prices {
    /// One vCPU: a `CPU` entry's price over its `numCpus`.
    pub cpu: Option<f64>,
    /// One MB of RAM: the `RAM` entry with the most `megsRam`, over its `megsRam`
    /// (the policy prices RAM linearly).
    pub ram_mb: Option<f64>,
    /// One GB of `STORAGE` `main`, `backup`, `snapshot`.
    pub main: Option<f64>,
    pub backup: Option<f64>,
    pub snapshot: Option<f64>,
    /// One core's Windows licence (`LICENSE` `windows`).
    pub windows: Option<f64>,
    /// One GB of object storage (`OBJECT_STORAGE` `object_storage`).
    pub object_storage: Option<f64>,
}

impl Prices {
    pub fn of(policy: &PricingPolicy) -> Prices {
        let kind = |resource_type: &str, name: &str| {
            policy
                .policy
                .iter()
                .find(|p| {
                    p.resource_type.eq_ignore_ascii_case(resource_type)
                        && p.service_name_in_uptime
                            .as_deref()
                            .is_some_and(|n| n.eq_ignore_ascii_case(name))
                })
                .map(|p| p.price)
        };
        let cpus = policy
            .policy
            .iter()
            .filter(|p| p.resource_type.eq_ignore_ascii_case("CPU"))
            .filter_map(|p| {
                let n = p.num_cpus.unwrap_or(1);
                (n > 0).then_some((n, p.price / n as f64))
            })
            .min_by_key(|(n, _)| *n);
        let ram = policy
            .policy
            .iter()
            .filter(|p| p.resource_type.eq_ignore_ascii_case("RAM"))
            .filter_map(|p| p.megs_ram.filter(|m| *m > 0).map(|m| (m, p.price)))
            .max_by_key(|(m, _)| *m);
        Prices {
            cpu: cpus.map(|(_, per_cpu)| per_cpu),
            ram_mb: ram.map(|(megs, price)| price / megs as f64),
            main: kind("STORAGE", "main"),
            backup: kind("STORAGE", "backup"),
            snapshot: kind("STORAGE", "snapshot"),
            windows: kind("LICENSE", "windows"),
            object_storage: kind("OBJECT_STORAGE", "object_storage"),
        }
    }

    /// The hourly cost of what `meter` measures, or the names of the prices the
    /// policy lacks for it. `None` for `Meter::Unknown`.
    pub fn hourly(&self, meter: &Meter) -> Option<Result<f64, Vec<&'static str>>> {
        let mut missing = Vec::new();
        let mut total = 0.0;
        let mut add = |price: Option<f64>, quantity: f64, name: &'static str| match price {
            Some(p) => total += p * quantity,
            None => missing.push(name),
        };
        match meter {
            Meter::Unknown => return None,
            Meter::Vm {
                vcpu,
                ram_mb,
                disk_gb,
                backup,
                windows,
            } => {
                add(self.cpu, *vcpu as f64, "CPU");
                add(self.ram_mb, *ram_mb as f64, "RAM (megsRam)");
                add(self.main, *disk_gb as f64, "STORAGE main");
                if *backup {
                    add(self.backup, *disk_gb as f64, "STORAGE backup");
                }
                if *windows {
                    add(self.windows, *vcpu as f64, "LICENSE windows");
                }
            }
            Meter::Disk { size_gb } => add(self.main, *size_gb as f64, "STORAGE main"),
            Meter::Snapshot { size_gb } => add(self.snapshot, *size_gb as f64, "STORAGE snapshot"),
            Meter::Bucket { size_bytes } => add(
                self.object_storage,
                *size_bytes as f64 / BYTES_PER_GB,
                "OBJECT_STORAGE object_storage",
            ),
        }
        Some(if missing.is_empty() {
            Ok(round(total, 8))
        } else {
            Err(missing)
        })
    }
}

impl Measure for Meter {
    fn is_unknown(&self) -> bool {
        *self == Meter::Unknown
    }
}

/// The two computed attributes, described for a resource whose hourly cost is
/// `formula`.
pub fn attrs(formula: &str) -> [Attr; 2] {
    [
        Attr::computed(HOURLY, Ty::Number)
            .desc(format!(
                "Estimated cost per hour, in the account's currency, from the platform's pricing policy (`GET /v1/pricing/policy`, read once per provider run): {formula}; rounded to 8 decimal places. Known at plan time whenever those inputs are; recomputed on every refresh, so changed prices show there. Null, with a warning naming it, when the policy lacks a price it needs."
            ))
            .read_desc(format!(
                "Estimated cost per hour, in the account's currency, from the platform's pricing policy: {formula}; rounded to 8 decimal places. Null, with a warning naming it, when the policy lacks a price it needs."
            ))
            .stable(),
        Attr::computed(MONTHLY, Ty::Number)
            .desc("`estimated_hourly_cost` × 730 hours, rounded to 2 decimal places; null when it is.")
            .stable(),
    ]
}

/// What a known `meter` costs per hour under the process's pricing policy; no
/// estimate, with a warning naming `what` and the reason, when the policy cannot
/// be read or lacks a price.
pub async fn hourly_cost(ctx: &ProviderData, meter: &Meter, what: &str) -> Estimate {
    let policy = match ctx.pricing_policy().await {
        Ok(policy) => policy,
        Err(e) => {
            warn(
                OpError::new(format!(
                    "No cost estimate for {what}: the pricing policy could not be read"
                ))
                .detail(format!(
                    "{HOURLY} and {MONTHLY} are left null. GET /v1/pricing/policy failed: {e}"
                )),
            );
            return Estimate::None;
        }
    };
    match Prices::of(&policy).hourly(meter) {
        None => Estimate::Unknown,
        Some(Ok(hourly)) => Estimate::Hourly(hourly),
        Some(Err(missing)) => {
            warn(
                OpError::new(format!(
                    "No cost estimate for {what}: the pricing policy has no price for {}",
                    missing.join(", ")
                ))
                .detail(format!(
                    "{HOURLY} and {MONTHLY} are left null rather than computed without {}. The platform's pricing policy (GET /v1/pricing/policy, the idcloudhost_pricing data source) lists no such price.",
                    missing.join(", ")
                )),
            );
            Estimate::None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::models::payment::PricingItem;
    use crate::framework::cost::monthly;

    fn item(resource_type: &str, price: f64) -> PricingItem {
        PricingItem {
            resource_type: resource_type.into(),
            price,
            ..PricingItem::default()
        }
    }

    fn documented() -> PricingPolicy {
        let kind = |t: &str, n: &str, price: f64| PricingItem {
            service_name_in_uptime: Some(n.into()),
            ..item(t, price)
        };
        PricingPolicy {
            policy: vec![
                PricingItem {
                    num_cpus: Some(1),
                    ..item("CPU", 0.00521)
                },
                PricingItem {
                    megs_ram: Some(512),
                    ..item("RAM", 0.001645)
                },
                PricingItem {
                    megs_ram: Some(1024),
                    ..item("RAM", 0.00329)
                },
                kind("STORAGE", "backup", 3.42e-05),
                kind("STORAGE", "snapshot", 0.0001),
                kind("STORAGE", "main", 0.0001),
                kind("LICENSE", "windows", 0.00548),
                kind("OBJECT_STORAGE", "object_storage", 3.42e-05),
            ],
        }
    }

    #[test]
    fn a_vm_costs_its_cpus_ram_disk_backup_and_licence() {
        let prices = Prices::of(&documented());
        let vm = |backup, windows| Meter::Vm {
            vcpu: 2,
            ram_mb: 2048,
            disk_gb: 20,
            backup,
            windows,
        };
        let linux = 2.0 * 0.00521 + 2048.0 * (0.00329 / 1024.0) + 20.0 * 0.0001;
        let hourly = |m| prices.hourly(&m).unwrap().unwrap();
        assert!((hourly(vm(false, false)) - linux).abs() < 1e-9);
        assert!((hourly(vm(true, false)) - (linux + 20.0 * 3.42e-05)).abs() < 1e-9);
        assert!((hourly(vm(false, true)) - (linux + 2.0 * 0.00548)).abs() < 1e-9);
        assert_eq!(monthly(hourly(vm(false, false))), round(linux * 730.0, 2));
    }

    #[test]
    fn disks_snapshots_and_buckets_cost_their_size() {
        let prices = Prices::of(&documented());
        let hourly = |m| prices.hourly(&m).unwrap().unwrap();
        assert_eq!(hourly(Meter::Disk { size_gb: 50 }), 0.005);
        assert_eq!(hourly(Meter::Snapshot { size_gb: 20 }), 0.002);
        let two_gb = 2 * 1024 * 1024 * 1024;
        assert_eq!(hourly(Meter::Bucket { size_bytes: two_gb }), 6.84e-05);
        assert_eq!(prices.hourly(&Meter::Unknown), None);
    }

    #[test]
    fn a_missing_price_is_named_never_guessed() {
        let mut policy = documented();
        policy
            .policy
            .retain(|p| p.service_name_in_uptime.as_deref() != Some("windows"));
        let prices = Prices::of(&policy);
        let windows = Meter::Vm {
            vcpu: 2,
            ram_mb: 2048,
            disk_gb: 20,
            backup: false,
            windows: true,
        };
        assert_eq!(prices.hourly(&windows), Some(Err(vec!["LICENSE windows"])));
        let linux = Meter::Vm {
            vcpu: 2,
            ram_mb: 2048,
            disk_gb: 20,
            backup: false,
            windows: false,
        };
        assert!(prices.hourly(&linux).unwrap().is_ok());
    }
}
