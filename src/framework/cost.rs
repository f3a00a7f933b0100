//! What an object costs: the computed `estimated_hourly_cost` and
//! `estimated_monthly_cost` of the resources that are billed by the hour.
//!
//! A resource says what it is metered by (`ResourceType::meter`, the platform's
//! `Platform::Meter`), the platform what a meter costs per hour
//! (`Platform::hourly_cost`, from its pricing policy); the rules here, run by the
//! adapter for every such resource, turn that into the two numbers:
//!
//! - plan: known whenever the meter is (a create or an update shows the new value,
//!   a resize old → new in the same diff); unknown only when an input is; left as
//!   stored when the meter does not change, so a no-op plan stays empty and a state
//!   written before these attributes existed plans no change;
//! - read (every refresh): computed anew, so changed prices show on the next refresh;
//! - create and update: the planned values are kept (Terraform checks them against
//!   the plan); only values unknown at plan time are computed from the result.
//!
//! A price the policy lacks, or a policy that cannot be read, leaves both null with
//! a warning naming what is missing: never a guessed number.

use super::platform::Platform;
use super::value::{Dyn, Obj};

pub const HOURLY: &str = "estimated_hourly_cost";
pub const MONTHLY: &str = "estimated_monthly_cost";
/// Hours in the month of an estimate.
pub const HOURS_PER_MONTH: f64 = 730.0;

/// What an object is billed by, as the platform measures it (`Platform::Meter`).
pub trait Measure: PartialEq + Send + Sync + 'static {
    /// An input is not known yet (known after apply): the estimate is unknown.
    fn is_unknown(&self) -> bool;
}

/// What the platform says a known meter costs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Estimate {
    /// Not known yet.
    Unknown,
    /// This much per hour.
    Hourly(f64),
    /// No estimate: the platform warned why (never a guessed number).
    None,
}

/// `x` rounded to `places` decimal places.
pub fn round(x: f64, places: i32) -> f64 {
    let scale = 10f64.powi(places);
    (x * scale).round() / scale
}

/// The monthly estimate of an hourly one: 730 hours, rounded to the cent.
pub fn monthly(hourly: f64) -> f64 {
    round(hourly * HOURS_PER_MONTH, 2)
}

/// The estimate for `meter` as the two attribute values: numbers, unknowns, or
/// nulls with a warning.
async fn values<P: Platform>(ctx: &P, meter: &P::Meter, what: &str) -> (Dyn, Dyn) {
    if meter.is_unknown() {
        return (Dyn::Unknown, Dyn::Unknown);
    }
    match ctx.hourly_cost(meter, what).await {
        Estimate::Unknown => (Dyn::Unknown, Dyn::Unknown),
        Estimate::Hourly(hourly) => (Dyn::Number(hourly), Dyn::Number(monthly(hourly))),
        Estimate::None => (Dyn::Null, Dyn::Null),
    }
}

/// Sets the estimates of a plan: kept as stored when the meter is unchanged,
/// computed from `planned` otherwise.
pub async fn plan<P: Platform>(
    ctx: &P,
    what: &str,
    planned: &mut Obj,
    prior: Option<&Obj>,
    planned_meter: &P::Meter,
    prior_meter: Option<&P::Meter>,
) {
    let (hourly, monthly) = match prior {
        Some(prior) if prior_meter == Some(planned_meter) && !planned_meter.is_unknown() => (
            prior.get(HOURLY).cloned().unwrap_or_default(),
            prior.get(MONTHLY).cloned().unwrap_or_default(),
        ),
        _ => values(ctx, planned_meter, what).await,
    };
    planned.insert(HOURLY.to_owned(), hourly);
    planned.insert(MONTHLY.to_owned(), monthly);
}

/// Sets the estimates of a state just read (`planned: None`: computed anew) or just
/// written by a create or update (the planned values kept where they were known).
pub async fn state<P: Platform>(
    ctx: &P,
    what: &str,
    state: &mut Obj,
    meter: &P::Meter,
    planned: Option<&Obj>,
) {
    let planned_value = |name: &str| {
        planned
            .and_then(|p| p.get(name))
            .filter(|v| !v.is_unknown())
            .cloned()
    };
    if let (Some(hourly), Some(monthly)) = (planned_value(HOURLY), planned_value(MONTHLY)) {
        state.insert(HOURLY.to_owned(), hourly);
        state.insert(MONTHLY.to_owned(), monthly);
        return;
    }
    let (hourly, monthly) = match values(ctx, meter, what).await {
        // Nothing unknown may be stored.
        (Dyn::Unknown, _) | (_, Dyn::Unknown) => (Dyn::Null, Dyn::Null),
        known => known,
    };
    state.insert(HOURLY.to_owned(), hourly);
    state.insert(MONTHLY.to_owned(), monthly);
}
