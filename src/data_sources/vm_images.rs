//! `idcloudhost_vm_images`: operating system and application catalogue images.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::api::config as api;
use crate::api::models::config::VmImage;
use crate::context::{ProviderData, Shared};
use crate::framework::{
    ty_of, Attr, DataSourceType, DynamicDataSource, OpError, SchemaSpec, Ty, Validator,
};

/// The data source types this module defines.
pub fn data_sources(shared: &Shared) -> Vec<(String, Box<dyn DynamicDataSource>)> {
    vec![super::register(VmImages, shared)]
}

pub struct VmImages;

/// The object of `idcloudhost_vm_images`.
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct VmImagesState {
    pub id: Option<String>,
    pub os_name: Option<String>,
    pub catalog: Option<String>,
    pub images: Option<Vec<Image>>,
}

/// One of `images`; its schema type is derived from it (`ty_of`).
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Image {
    pub os_name: String,
    pub display_name: String,
    pub is_default: bool,
    pub is_app_catalog: bool,
    pub versions: Vec<Version>,
}

/// One of an image's `versions`.
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Version {
    pub os_version: String,
    pub display_name: String,
    pub published: bool,
}

fn image(image: VmImage) -> Image {
    let versions = image
        .versions
        .into_iter()
        .map(|v| Version {
            os_version: v.os_version,
            display_name: v.display_name,
            published: v.published,
        })
        .collect();
    Image {
        os_name: image.os_name,
        display_name: image.display_name,
        is_default: image.is_default,
        is_app_catalog: image.is_app_catalog,
        versions,
    }
}

const CATALOGS: &[&str] = &["all", "plain_os", "app_catalog"];

#[async_trait]
impl DataSourceType for VmImages {
    type Platform = ProviderData;
    const NAME: &'static str = "vm_images";
    type State = VmImagesState;

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("Lists the images a VM can be created from (`os_name` / `os_version`).")
            .attr(Attr::computed("id", Ty::String).desc("Identifies the filter combination."))
            .attr(
                Attr::optional("os_name", Ty::String)
                    .desc("Only the image with exactly this `os_name` (e.g. `ubuntu`).")
                    .validate(Validator::NotEmpty),
            )
            .attr(
                Attr::optional_computed("catalog", Ty::String)
                    .desc("`all` (default), `plain_os` (operating systems only) or `app_catalog` (application images only).")
                    .validate(Validator::OneOf(CATALOGS)),
            )
            .attr(Attr::computed("images", Ty::list(ty_of::<Image>())).desc("The matching images."))
    }

    async fn read(
        &self,
        ctx: &ProviderData,
        config: VmImagesState,
    ) -> Result<VmImagesState, OpError> {
        let catalog = config.catalog.unwrap_or_else(|| "all".to_owned());
        let os_name = config.os_name;
        let images = api::vm_images(&ctx.client, &catalog).await?;
        let images = images
            .into_iter()
            .filter(|image| os_name.as_ref().is_none_or(|name| image.os_name == *name))
            .map(image)
            .collect();
        Ok(VmImagesState {
            id: Some(format!("{catalog}/{}", os_name.as_deref().unwrap_or("*"))),
            os_name,
            catalog: Some(catalog),
            images: Some(images),
        })
    }
}
