terraform {
  required_providers {
    idcloudhost = {
      source = "idcloudhost/idcloudhost"
    }
  }
}

# Configured from the environment: IDCLOUDHOST_API_URL, IDCLOUDHOST_API_KEY
# (scripts/demo.sh points them at the local simulator).
provider "idcloudhost" {}

data "idcloudhost_locations" "all" {}

data "idcloudhost_vm_images" "ubuntu" {
  os_name = "ubuntu"
}

data "idcloudhost_boot_images" "install" {
  installation_media = true
}

output "default_location" {
  description = "Slug of the account's default location."
  value       = data.idcloudhost_locations.all.default_slug
}

output "location_slugs" {
  description = "Slugs of all locations."
  value       = [for l in data.idcloudhost_locations.all.locations : l.slug]
}

output "ubuntu_versions" {
  description = "Available Ubuntu versions."
  value       = [for v in data.idcloudhost_vm_images.ubuntu.images[0].versions : v.os_version]
}

output "installation_media" {
  description = "Names of the boot images that are installation media."
  value       = [for i in data.idcloudhost_boot_images.install.images : i.image_name]
}
