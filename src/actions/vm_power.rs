//! `idcloudhost_vm_power`: start, stop (gracefully or by pulling the plug) or
//! restart a VM (`POST /vm/start`, `POST /vm/stop [force]`). Idempotent: a VM
//! already in the asked state is left alone, and the progress says so.

use std::time::Duration;

use async_trait::async_trait;

use super::{flag, force_attr, known_target, target, text, vm_attrs, FORCE};
use crate::context::ProviderData;
use crate::framework::{ActionType, Attr, Dyn, Obj, OpError, Progress, SchemaSpec, Ty, Validator};

pub struct VmPower;

const OPERATIONS: &[&str] = &["start", "stop", "restart"];

#[async_trait]
impl ActionType for VmPower {
    type Platform = ProviderData;
    const NAME: &'static str = "vm_power";
    /// A graceful stop takes about 22 s, a start about 4 s (field notes); a
    /// guest slow to shut down gets several minutes.
    const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10 * 60);

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("Starts, stops or restarts a VM. Idempotent: starting a running VM (or stopping a stopped one) changes nothing and says so. Does not change the VM's `power_state` in Terraform: use it for VMs whose `power_state` Terraform does not manage, or to restart one.")
            .attrs(vm_attrs())
            .attr(
                Attr::required("operation", Ty::String)
                    .desc("`start`, `stop` or `restart` (a running VM is stopped and started again; a stopped one is started).")
                    .validate(Validator::OneOf(OPERATIONS)),
            )
            .attr(force_attr("for `stop` and `restart`,"))
    }

    fn validate(&self, config: &Obj) -> Vec<OpError> {
        let mut errors = super::check_vm_choice(config);
        if text(config, "operation") == Some("start") && config.get(FORCE) == Some(&Dyn::Bool(true))
        {
            errors.push(OpError::invalid(
                FORCE,
                "force applies to stop and restart; a start has nothing to force. Remove force or change operation.",
            ));
        }
        errors
    }

    async fn check(&self, ctx: &ProviderData, config: &Obj) -> Result<(), OpError> {
        target(ctx, config).await.map(|_| ())
    }

    async fn invoke(
        &self,
        ctx: &ProviderData,
        config: &Obj,
        progress: &Progress,
    ) -> Result<(), OpError> {
        let target = known_target(ctx, config).await?;
        let label = target.label();
        let force = flag(config, FORCE);
        let running = target.vm.is_running();
        match text(config, "operation").unwrap_or_default() {
            "start" if running => {
                progress.say(format!("{label} is already running: nothing to do"));
            }
            "start" => super::start(ctx, progress, &target).await?,
            "stop" if !running => {
                progress.say(format!(
                    "{label} is already {}: nothing to do",
                    target.vm.status
                ));
            }
            "stop" => super::stop(ctx, progress, &target, force).await?,
            _ => {
                if running {
                    super::stop(ctx, progress, &target, force).await?;
                } else {
                    progress.say(format!(
                        "{label} is {}: starting it (nothing to stop)",
                        target.vm.status
                    ));
                }
                super::start(ctx, progress, &target).await?;
            }
        }
        Ok(())
    }
}
