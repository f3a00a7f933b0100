//! `idcloudhost_vm_reinstall`: overwrites the VM's boot disk with a fresh
//! operating system image (`POST /vm/reinstall`). The VM stays the same object:
//! uuid, addresses, network, attached disks, firewalls and load-balancer
//! membership are kept; what the boot disk held is erased.

use std::time::Duration;

use async_trait::async_trait;

use super::{text, Invocation, VmAction};
use crate::api::vm_ops;
use crate::context::ProviderData;
use crate::framework::action::elapsed;
use crate::framework::{Attr, Obj, OpError, SchemaSpec, Ty, Validator};
use crate::resources::common::check_image;

pub struct VmReinstall;

#[async_trait]
impl VmAction for VmReinstall {
    const NAME: &'static str = "vm_reinstall";
    /// A reinstall takes about as long as a create (~33 s, field notes).
    const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20 * 60);

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("Reinstalls a VM's operating system in place: the boot disk is overwritten with a fresh image and **everything on it is erased**. The VM stays the same: uuid, addresses, network, attached disks, firewalls and load-balancer membership. If Terraform manages the VM, change its `os_name`/`os_version` to match (or use its `os_change = \"reinstall\"`), or the next plan shows the difference.")
            .attr(
                Attr::required("os_name", Ty::String)
                    .desc("Operating system to install (e.g. `ubuntu`), one of the image catalogue's (`data.idcloudhost_vm_images`); checked at plan time.")
                    .validate(Validator::NotEmpty),
            )
            .attr(
                Attr::required("os_version", Ty::String)
                    .desc("Version of `os_name` (e.g. `22.04-lts`), published in the image catalogue; checked at plan time.")
                    .validate(Validator::NotEmpty),
            )
    }

    async fn check_args(&self, ctx: &ProviderData, config: &Obj) -> Result<(), OpError> {
        // An unknown version (known at invoke) is checked then.
        if let Some(os_name) = text(config, "os_name") {
            let version = text(config, "os_version");
            check_image(ctx, os_name, version, ("os_name", "os_version")).await?;
        }
        Ok(())
    }

    async fn invoke(&self, run: &Invocation<'_>, config: &Obj) -> Result<(), OpError> {
        let target = &run.target;
        let label = target.label();
        let os_name = text(config, "os_name").unwrap_or_default();
        let os_version = text(config, "os_version").unwrap_or_default();
        run.progress.say(format!(
            "Reinstalling {label} with {os_name} {os_version} (was {} {}): its boot disk is erased",
            target.vm.os_name, target.vm.os_version
        ));
        let reinstalling = vm_ops::reinstall(
            &run.ctx.client,
            &target.location,
            &target.vm.uuid,
            Some(os_name),
            Some(os_version),
        );
        let (vm, took) = run
            .call(&format!("Reinstalling {label}"), reinstalling)
            .await?;
        run.progress.say(format!(
            "{label} reinstalled with {} {} in {}; it is {}",
            vm.os_name,
            vm.os_version,
            elapsed(took),
            vm.status
        ));
        Ok(())
    }
}
