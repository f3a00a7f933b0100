//! `idcloudhost_vm_power`: start, stop (gracefully or by pulling the plug) or
//! restart a VM (`POST /vm/start`, `POST /vm/stop [force]`). Idempotent: a VM
//! already in the asked state is left alone, and the progress says so.

use std::time::Duration;

use async_trait::async_trait;

use super::{flag, force_attr, text, Invocation, VmAction, FORCE};
use crate::framework::{Attr, Dyn, Obj, OpError, SchemaSpec, Ty, Validator};

pub struct VmPower;

const OPERATIONS: &[&str] = &["start", "stop", "restart"];

#[async_trait]
impl VmAction for VmPower {
    const NAME: &'static str = "vm_power";
    /// A graceful stop takes about 22 s, a start about 4 s (field notes); a
    /// guest slow to shut down gets several minutes.
    const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10 * 60);

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("Starts, stops or restarts a VM. Idempotent: starting a running VM (or stopping a stopped one) changes nothing and says so. Does not change the VM's `power_state` in Terraform: use it for VMs whose `power_state` Terraform does not manage, or to restart one.")
            .attr(
                Attr::required("operation", Ty::String)
                    .desc("`start`, `stop` or `restart` (a running VM is stopped and started again; a stopped one is started).")
                    .validate(Validator::OneOf(OPERATIONS)),
            )
            .attr(force_attr("for `stop` and `restart`,"))
    }

    fn validate(&self, config: &Obj) -> Vec<OpError> {
        let mut errors = Vec::new();
        if text(config, "operation") == Some("start") && config.get(FORCE) == Some(&Dyn::Bool(true))
        {
            errors.push(OpError::invalid(
                FORCE,
                "force applies to stop and restart; a start has nothing to force. Remove force or change operation.",
            ));
        }
        errors
    }

    async fn invoke(&self, run: &Invocation<'_>, config: &Obj) -> Result<(), OpError> {
        let vm = &run.target.vm;
        let label = run.target.label();
        let force = flag(config, FORCE);
        let running = vm.is_running();
        match text(config, "operation").unwrap_or_default() {
            "start" if running => {
                run.progress
                    .say(format!("{label} is already running: nothing to do"));
            }
            "start" => run.start().await?,
            "stop" if !running => {
                run.progress
                    .say(format!("{label} is already {}: nothing to do", vm.status));
            }
            "stop" => run.stop(force).await?,
            _ => {
                if running {
                    run.stop(force).await?;
                } else {
                    run.progress.say(format!(
                        "{label} is {}: starting it (nothing to stop)",
                        vm.status
                    ));
                }
                run.start().await?;
            }
        }
        Ok(())
    }
}
