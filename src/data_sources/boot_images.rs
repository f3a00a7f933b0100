//! `idcloudhost_boot_images`: rescue and installation ISO images.

use async_trait::async_trait;

use crate::api::models::config::BootImage;
use crate::api::{Feature, Loc};
use crate::context::{ProviderData, Shared};
use crate::framework::{
    Attr, DataSourceType, Dyn, DynamicDataSource, Obj, OpError, SchemaSpec, Ty, Validator,
};
use crate::obj;

/// The data source types this module defines.
pub fn data_sources(shared: &Shared) -> Vec<(String, Box<dyn DynamicDataSource>)> {
    vec![super::register(BootImages, shared)]
}

pub struct BootImages;

fn image_ty() -> Ty {
    Ty::Object(vec![
        ("uuid", Ty::String),
        ("image_name", Ty::String),
        ("description", Ty::String),
        ("is_installation_media", Ty::Bool),
        ("is_published", Ty::Bool),
    ])
}

#[async_trait]
impl DataSourceType for BootImages {
    const NAME: &'static str = "boot_images";

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("Lists the rescue and installation ISO images a VM can boot from. Not available on elastis.id.")
            .attr(Attr::computed("id", Ty::String).desc("Identifies the filter combination."))
            .attr(
                Attr::optional("name_regex", Ty::String)
                    .desc("Only images whose `image_name` matches this regular expression.")
                    .validate(Validator::Regex),
            )
            .attr(
                Attr::optional("installation_media", Ty::Bool)
                    .desc("`true`: only installation media; `false`: only rescue images."),
            )
            .attr(Attr::computed("images", Ty::list(image_ty())).desc("The matching images."))
    }

    async fn read(&self, ctx: &ProviderData, config: &Obj) -> Result<Obj, OpError> {
        ctx.client.require(Feature::BootImages)?;
        let name_regex = config.get("name_regex").and_then(Dyn::as_str);
        let pattern = name_regex
            .map(regex::Regex::new)
            .transpose()
            .map_err(|e| OpError::invalid("name_regex", e.to_string()))?;
        let installation_media = config.get("installation_media").and_then(Dyn::as_bool);
        let images: Vec<BootImage> = ctx.client.list(Loc::Global, "config/boot_images").await?;
        let items: Vec<Dyn> = images
            .into_iter()
            .filter(|i| pattern.as_ref().is_none_or(|re| re.is_match(&i.image_name)))
            .filter(|i| installation_media.is_none_or(|want| i.is_installation_media == want))
            .map(|i| {
                Dyn::Object(obj! {
                    "uuid" => i.uuid,
                    "image_name" => i.image_name,
                    "description" => i.description,
                    "is_installation_media" => i.is_installation_media,
                    "is_published" => i.is_published,
                })
            })
            .collect();
        Ok(obj! {
            "id" => format!(
                "{}/{}",
                name_regex.unwrap_or("*"),
                installation_media.map(|b| b.to_string()).unwrap_or("*".into())
            ),
            "name_regex" => name_regex,
            "installation_media" => installation_media,
            "images" => items,
        })
    }
}
