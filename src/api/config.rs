//! The platform's catalogues (`/v1/config/*`: global, no location slug), shared
//! per process until the next write like every list.

use super::models::config::{BootImage, VmImage};
use super::{ApiClient, ApiError, Loc};

/// The rescue and installation ISO images a VM can boot from (`config/boot_images`;
/// not on the oldest generation).
pub async fn boot_images(client: &ApiClient) -> Result<Vec<BootImage>, ApiError> {
    client.list(Loc::Global, "config/boot_images").await
}

/// The images a VM can be created from: `catalog` `plain_os` (operating systems
/// only), `app_catalog` (application images only), anything else every image.
pub async fn vm_images(client: &ApiClient, catalog: &str) -> Result<Vec<VmImage>, ApiError> {
    let path = match catalog {
        "plain_os" => "config/vm_images/plain_os",
        "app_catalog" => "config/vm_images/app_catalog",
        _ => "config/vm_images",
    };
    client.list(Loc::Global, path).await
}
