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

# --- Look-ups -----------------------------------------------------------------

data "idcloudhost_locations" "all" {}

data "idcloudhost_vm_images" "ubuntu" {
  os_name = "ubuntu"
}

data "idcloudhost_boot_images" "install" {
  installation_media = true
}

data "idcloudhost_s3_endpoint" "s3" {}

locals {
  # The newest published Ubuntu version.
  ubuntu_version = reverse([for v in data.idcloudhost_vm_images.ubuntu.images[0].versions : v.os_version if v.published])[0]
}

# --- Network and access -----------------------------------------------------------

resource "idcloudhost_network" "app" {
  name = "demo-app"
}

resource "idcloudhost_ssh_key" "ops" {
  name       = "demo-ops"
  public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4mvUhGz0qjzhd4FqzZb2NSMRGXCuQEBxV1aCsH7Xhd ops@demo"
}

# --- Web tier: two VMs behind a load balancer and a firewall -------------------------

resource "idcloudhost_vm" "web" {
  count             = 2
  name              = "demo-web-${count.index}"
  os_name           = "ubuntu"
  os_version        = local.ubuntu_version
  vcpu              = 1
  ram_mb            = 1024
  disk_size_gb      = 20
  network_uuid      = idcloudhost_network.app.id
  ssh_key_ids       = [idcloudhost_ssh_key.ops.id]
  reserve_public_ip = false # reached through the load balancer
  cloud_init        = <<-EOT
    #cloud-config
    packages: [nginx]
  EOT
}

resource "idcloudhost_firewall" "web" {
  name        = "demo-web"
  description = "HTTP from anywhere, SSH from the office"

  rule {
    direction  = "inbound"
    protocol   = "tcp"
    port_start = 80
  }
  rule {
    direction   = "inbound"
    protocol    = "tcp"
    port_start  = 22
    ip_prefixes = ["203.0.113.0/24"]
  }
  rule {
    direction = "outbound"
    protocol  = "tcp"
  }
}

resource "idcloudhost_firewall_attachment" "web" {
  count         = length(idcloudhost_vm.web)
  firewall_uuid = idcloudhost_firewall.web.id
  vm_uuid       = idcloudhost_vm.web[count.index].id
}

resource "idcloudhost_load_balancer" "web" {
  name         = "demo-web"
  network_uuid = idcloudhost_network.app.id

  forwarding_rule {
    source_port = 80
    target_port = 80
  }

  dynamic "target" {
    for_each = idcloudhost_vm.web
    content {
      target_uuid = target.value.id
    }
  }
}

# --- Admin VM with its own address and a data disk ------------------------------------

resource "idcloudhost_vm" "admin" {
  name              = "demo-admin"
  os_name           = "ubuntu"
  os_version        = local.ubuntu_version
  vcpu              = 1
  ram_mb            = 1024
  network_uuid      = idcloudhost_network.app.id
  ssh_key_ids       = [idcloudhost_ssh_key.ops.id]
  reserve_public_ip = false # the floating IP below is its public address
}

resource "idcloudhost_floating_ip" "admin" {
  name = "demo-admin"
}

resource "idcloudhost_floating_ip_assignment" "admin" {
  address = idcloudhost_floating_ip.admin.address
  vm_uuid = idcloudhost_vm.admin.id
}

resource "idcloudhost_disk" "data" {
  name    = "demo-data"
  size_gb = 50
}

resource "idcloudhost_disk_attachment" "data" {
  vm_uuid   = idcloudhost_vm.admin.id
  disk_uuid = idcloudhost_disk.data.id
}

# --- Managed PostgreSQL, reachable from the app VMs only ------------------------------

resource "idcloudhost_service_package" "db" {
  name              = "demo-db"
  service           = "postgresql"
  version           = "14.0"
  vcpu              = 1
  ram_mb            = 2048
  disk_size_gb      = 20
  allowed_addresses = concat([for vm in idcloudhost_vm.web : vm.private_ipv4], [idcloudhost_vm.admin.private_ipv4])
}

# --- Object storage for uploads ------------------------------------------------------

resource "idcloudhost_bucket" "uploads" {
  name = "demo-uploads-${substr(idcloudhost_network.app.id, 0, 8)}"
}

resource "idcloudhost_s3_credential" "app" {}

# --- How to reach it -----------------------------------------------------------------

output "default_location" {
  value = data.idcloudhost_locations.all.default_slug
}

output "location_slugs" {
  value = [for l in data.idcloudhost_locations.all.locations : l.slug]
}

output "installation_media" {
  value = [for i in data.idcloudhost_boot_images.install.images : i.image_name]
}

output "website" {
  description = "The web tier, through the load balancer."
  value       = "http://${idcloudhost_load_balancer.web.public_address}/"
}

output "web_vm_ids" {
  value = idcloudhost_vm.web[*].id
}

output "admin_ssh" {
  description = "SSH to the admin VM (key: demo-ops)."
  value       = "ssh root@${idcloudhost_floating_ip.admin.address}"
}

output "admin_data_disk" {
  value = idcloudhost_disk_attachment.data.device_path
}

output "database" {
  description = "PostgreSQL connection string (password: terraform output -raw database_password)."
  value       = "postgresql://${idcloudhost_service_package.db.sql_user}@${idcloudhost_service_package.db.service_ip}:${idcloudhost_service_package.db.port}/postgres"
}

output "database_password" {
  value     = idcloudhost_service_package.db.password
  sensitive = true
}

output "uploads" {
  description = "S3 bucket for uploads (keys: terraform output -raw s3_secret_key)."
  value       = "${trimsuffix(data.idcloudhost_s3_endpoint.s3.url, "/")}/${idcloudhost_bucket.uploads.name} (access key ${idcloudhost_s3_credential.app.access_key})"
}

output "s3_secret_key" {
  value     = idcloudhost_s3_credential.app.secret_key
  sensitive = true
}
