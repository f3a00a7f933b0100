//! `idcloudhost_vm_boot_media`: boots a VM once from a live or installation
//! image. The newer generations take the image (`POST /vm/boot_iso_media`, from
//! the platform's catalogue or a private read-only bootable disk); elastis.id
//! boots its rescue image (`POST /vm/rescue_start`). A running VM is stopped
//! first. The next normal start boots the VM's own disk again.

use std::time::Duration;

use async_trait::async_trait;

use super::{flag, force_attr, is_unknown, text, Invocation, Target, VmAction, FORCE};
use crate::api::config::boot_images;
use crate::api::vm_ops::{self, BootRepository};
use crate::api::{disk, Feature, Generation};
use crate::context::ProviderData;
use crate::framework::action::elapsed;
use crate::framework::{Attr, Obj, OpError, SchemaSpec, Ty, Validator};

pub struct VmBootMedia;

const IMAGE: &str = "boot_image_uuid";
const REPOSITORY: &str = "boot_image_repository";
const PLATFORM: &str = "platform";
const PRIVATE: &str = "private";

#[async_trait]
impl VmAction for VmBootMedia {
    const NAME: &'static str = "vm_boot_media";
    /// A stop (~22 s) and a start (~4 s), with room for a slow guest.
    const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15 * 60);

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("Boots a VM once from a live or installation image, e.g. to repair a guest that no longer boots or to install an operating system on an empty disk. On IDCloudHost and 3nv.io the image is `boot_image_uuid`; on elastis.id it is the platform's rescue image (leave `boot_image_uuid` unset). A running VM is stopped first (gracefully, or with `force`). One launch only: the next time the VM is started it boots its own disk.")
            .attr(
                Attr::optional(IMAGE, Ty::String)
                    .desc("The image to boot: a `uuid` from `data.idcloudhost_boot_images` (`boot_image_repository = \"platform\"`), or the uuid of a disk with `read_only_bootable = true` holding an ISO 9660 file system (`\"private\"`). Required on IDCloudHost and 3nv.io; must be unset on elastis.id, whose API boots only its rescue image. Checked at plan time.")
                    .validate(Validator::NotEmpty)
                    .only_on(Feature::BootIsoMedia),
            )
            .attr(
                Attr::optional(REPOSITORY, Ty::String)
                    .desc("Where `boot_image_uuid` is: `platform` (default: the platform's catalogue) or `private` (a disk of the account with `read_only_bootable = true`). Not on elastis.id.")
                    .validate(Validator::OneOf(&[PLATFORM, PRIVATE]))
                    .only_on(Feature::BootIsoMedia),
            )
            .attr(force_attr("a running VM is stopped first:"))
    }

    fn validate(&self, config: &Obj) -> Vec<OpError> {
        let mut errors = Vec::new();
        if text(config, REPOSITORY).is_some() && config.get(IMAGE).is_none_or(|v| v.is_null()) {
            errors.push(OpError::invalid(
                REPOSITORY,
                "boot_image_repository says where boot_image_uuid is, which is not set: set boot_image_uuid too, or remove boot_image_repository.",
            ));
        }
        errors
    }

    async fn check_args(&self, ctx: &ProviderData, config: &Obj) -> Result<(), OpError> {
        let generation = ctx.client.generation();
        if generation.supports(Feature::BootIsoMedia)
            && config.get(IMAGE).is_none_or(|v| v.is_null())
        {
            return Err(OpError::invalid(
                IMAGE,
                format!(
                    "boot_image_uuid is required on {} (brand = \"{}\"): its API boots media only through POST /vm/boot_iso_media, which names the image (data.idcloudhost_boot_images lists them). Booting the rescue image without one (POST /vm/rescue_start) is available on {} (brand = \"{}\").",
                    generation.brand(),
                    generation.brand_id(),
                    Generation::Oldest.brand(),
                    Generation::Oldest.brand_id()
                ),
            ));
        }
        Ok(())
    }

    async fn check_on(
        &self,
        ctx: &ProviderData,
        target: &Target,
        config: &Obj,
    ) -> Result<(), OpError> {
        if !is_unknown(config, IMAGE) {
            media_name(ctx, &target.location, config).await?;
        }
        Ok(())
    }

    async fn invoke(&self, run: &Invocation<'_>, config: &Obj) -> Result<(), OpError> {
        let (ctx, target) = (run.ctx, &run.target);
        let label = target.label();
        let media = media_name(ctx, &target.location, config).await?;
        if target.vm.is_running() {
            run.progress
                .say(format!("{label} is running: it is stopped first"));
            run.stop(flag(config, FORCE)).await?;
        }
        let image = text(config, IMAGE);
        let repository = match text(config, REPOSITORY) {
            Some(PRIVATE) => BootRepository::Private,
            _ => BootRepository::Platform,
        };
        let booting = boot(ctx, target, image, repository);
        let (_, took) = run
            .step(&format!("Booting {label} from {media}"), booting)
            .await?;
        let vm = run.reread().await?;
        run.progress.say(format!(
            "{label} booted from {media} in {}; it is {}. The next start boots its own disk again",
            elapsed(took),
            vm.status
        ));
        Ok(())
    }
}

/// What the VM boots, as messages name it; an image that is not in the
/// catalogue, or a private disk that is not bootable, is an error naming
/// `boot_image_uuid`.
async fn media_name(ctx: &ProviderData, location: &str, config: &Obj) -> Result<String, OpError> {
    let Some(image) = text(config, IMAGE) else {
        return Ok("the rescue image".to_owned());
    };
    if text(config, REPOSITORY) == Some(PRIVATE) {
        let disks = disk::list(&ctx.client, location).await?;
        let Some(found) = disks.iter().find(|d| d.uuid == image) else {
            return Err(OpError::invalid(
                IMAGE,
                format!("There is no disk {image:?} in location {location} (boot_image_repository = \"private\" boots a disk of the account)."),
            ));
        };
        let name = found
            .display_name
            .clone()
            .filter(|n| !n.is_empty())
            .map_or_else(
                || format!("disk {image}"),
                |n| format!("disk {n:?} ({image})"),
            );
        if found.read_only_bootable != Some(true) {
            return Err(OpError::invalid(
                IMAGE,
                format!("The {name} is not bootable media: a private boot image must be a disk with read_only_bootable = true (holding an ISO 9660 file system). Set read_only_bootable on the idcloudhost_disk."),
            ));
        }
        return Ok(name);
    }
    let images = boot_images(&ctx.client).await?;
    match images.iter().find(|i| i.uuid == image) {
        Some(found) => Ok(format!("image {:?} ({image})", found.image_name)),
        None => {
            let known: Vec<String> = images
                .iter()
                .filter(|i| i.is_published)
                .map(|i| format!("{} ({})", i.uuid, i.image_name))
                .collect();
            Err(OpError::invalid(
                IMAGE,
                format!(
                    "{image:?} is not a boot image of the platform; its images: {}. For a disk of your own, set boot_image_repository = \"private\".",
                    known.join(", ")
                ),
            ))
        }
    }
}

/// `POST /vm/boot_iso_media` with the image, or `POST /vm/rescue_start` without.
async fn boot(
    ctx: &ProviderData,
    target: &Target,
    image: Option<&str>,
    repository: BootRepository,
) -> Result<(), crate::api::ApiError> {
    let (client, location, uuid) = (&ctx.client, &target.location, &target.vm.uuid);
    match image {
        Some(image) => vm_ops::boot_iso_media(client, location, uuid, image, repository).await,
        None => vm_ops::rescue_start(client, location, uuid).await,
    }
}
