//! Data sources, one module each.

mod boot_images;
mod locations;
mod vm_images;

pub use boot_images::BootImages;
pub use locations::Locations;
pub use vm_images::VmImages;
