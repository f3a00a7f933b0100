//! `idcloudhost_boot_images`: rescue and installation ISO images.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::api::{self, Feature};
use crate::context::{ProviderData, Shared};
use crate::framework::{ty_of, Attr, DataSourceType, DynamicDataSource, OpError, SchemaSpec, Ty};

/// The data source types this module defines.
pub fn data_sources(shared: &Shared) -> Vec<(String, Box<dyn DynamicDataSource>)> {
    vec![super::register(BootImages, shared)]
}

pub struct BootImages;

/// The object of `idcloudhost_boot_images`.
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct BootImagesState {
    pub id: Option<String>,
    pub name_regex: Option<String>,
    pub installation_media: Option<bool>,
    pub images: Option<Vec<Image>>,
}

/// One of `images`; its schema type is derived from it (`ty_of`).
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Image {
    pub uuid: String,
    pub image_name: String,
    pub description: String,
    pub is_installation_media: bool,
    pub is_published: bool,
}

#[async_trait]
impl DataSourceType for BootImages {
    type Platform = ProviderData;
    const NAME: &'static str = "boot_images";
    type State = BootImagesState;

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("Lists the rescue and installation ISO images a VM can boot from. Not available on elastis.id.")
            .attr(Attr::computed("id", Ty::String).desc("Identifies the filter combination."))
            .attr(super::name_regex_argument(
                "Only images whose `image_name` matches this regular expression.",
            ))
            .attr(
                Attr::optional("installation_media", Ty::Bool)
                    .desc("`true`: only installation media; `false`: only rescue images."),
            )
            .attr(Attr::computed("images", Ty::list(ty_of::<Image>())).desc("The matching images."))
    }

    async fn read(
        &self,
        ctx: &ProviderData,
        config: BootImagesState,
    ) -> Result<BootImagesState, OpError> {
        ctx.client.require(Feature::BootImages)?;
        let BootImagesState {
            name_regex,
            installation_media,
            ..
        } = config;
        let matches = super::name_matches(name_regex.as_deref())?;
        let images = api::config::boot_images(&ctx.client).await?;
        let images = images
            .into_iter()
            .filter(|i| matches(&i.image_name))
            .filter(|i| installation_media.is_none_or(|want| i.is_installation_media == want))
            .map(|i| Image {
                uuid: i.uuid,
                image_name: i.image_name,
                description: i.description,
                is_installation_media: i.is_installation_media,
                is_published: i.is_published,
            })
            .collect();
        Ok(BootImagesState {
            id: Some(format!(
                "{}/{}",
                name_regex.as_deref().unwrap_or("*"),
                installation_media
                    .map(|b| b.to_string())
                    .unwrap_or("*".into())
            )),
            name_regex,
            installation_media,
            images: Some(images),
        })
    }
}
