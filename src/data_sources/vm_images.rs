//! `idcloudhost_vm_images`: operating system and application catalogue images.

use async_trait::async_trait;

use crate::api::models::config::VmImage;
use crate::api::Loc;
use crate::context::{ProviderData, Shared};
use crate::framework::{
    Attr, DataSourceType, Dyn, DynamicDataSource, Obj, OpError, SchemaSpec, Ty, Validator,
};
use crate::obj;

/// The data source types this module defines.
pub fn data_sources(shared: &Shared) -> Vec<(String, Box<dyn DynamicDataSource>)> {
    vec![super::register(VmImages, shared)]
}

pub struct VmImages;

const CATALOGS: &[&str] = &["all", "plain_os", "app_catalog"];

fn image_ty() -> Ty {
    Ty::Object(vec![
        ("os_name", Ty::String),
        ("display_name", Ty::String),
        ("is_default", Ty::Bool),
        ("is_app_catalog", Ty::Bool),
        (
            "versions",
            Ty::list(Ty::Object(vec![
                ("os_version", Ty::String),
                ("display_name", Ty::String),
                ("published", Ty::Bool),
            ])),
        ),
    ])
}

#[async_trait]
impl DataSourceType for VmImages {
    const NAME: &'static str = "vm_images";

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
            .attr(Attr::computed("images", Ty::list(image_ty())).desc("The matching images."))
    }

    async fn read(&self, ctx: &ProviderData, config: &Obj) -> Result<Obj, OpError> {
        let catalog = config
            .get("catalog")
            .and_then(Dyn::as_str)
            .unwrap_or("all")
            .to_owned();
        let path = match catalog.as_str() {
            "plain_os" => "config/vm_images/plain_os",
            "app_catalog" => "config/vm_images/app_catalog",
            _ => "config/vm_images",
        };
        let os_name = config.get("os_name").and_then(Dyn::as_str);
        let images: Vec<VmImage> = ctx.client.list(Loc::Global, path).await?;
        let items: Vec<Dyn> = images
            .into_iter()
            .filter(|image| os_name.is_none_or(|name| image.os_name == name))
            .map(|image| {
                let versions: Vec<Dyn> = image
                    .versions
                    .into_iter()
                    .map(|v| {
                        Dyn::Object(obj! {
                            "os_version" => v.os_version,
                            "display_name" => v.display_name,
                            "published" => v.published,
                        })
                    })
                    .collect();
                Dyn::Object(obj! {
                    "os_name" => image.os_name,
                    "display_name" => image.display_name,
                    "is_default" => image.is_default,
                    "is_app_catalog" => image.is_app_catalog,
                    "versions" => versions,
                })
            })
            .collect();
        Ok(obj! {
            "id" => format!("{catalog}/{}", os_name.unwrap_or("*")),
            "os_name" => os_name,
            "catalog" => catalog,
            "images" => items,
        })
    }
}
