terraform {
  required_providers {
    idcloudhost = {
      source = "idcloudhost/idcloudhost"
    }
  }
}

# Configured from the environment: IDCLOUDHOST_API_URL, IDCLOUDHOST_API_KEY and
# IDCLOUDHOST_BRAND (scripts/demo.sh points them at the local simulator).
provider "idcloudhost" {}

# Which brand's API the stack runs on (scripts/demo.sh sets TF_VAR_brand from
# BRAND). The parts a brand's API lacks are left out: SSH keys exist only on
# IDCloudHost (elsewhere the VMs get the key directly), firewalls, the managed
# database and boot images not on elastis.id.
variable "brand" {
  type    = string
  default = "idcloudhost"
  validation {
    condition     = contains(["idcloudhost", "3nv", "elastis"], var.brand)
    error_message = "The brand must be idcloudhost, 3nv or elastis."
  }
}

locals {
  has_ssh_keys    = var.brand == "idcloudhost"
  has_firewalls   = var.brand != "elastis"
  has_databases   = var.brand != "elastis"
  has_boot_images = var.brand != "elastis"

  ops_public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4mvUhGz0qjzhd4FqzZb2NSMRGXCuQEBxV1aCsH7Xhd ops@demo"
  # Through the SSH key resource where the API has one, else as the VM's own key.
  ssh_key_ids = local.has_ssh_keys ? [idcloudhost_ssh_key.ops[0].id] : null
  public_keys = local.has_ssh_keys ? null : [local.ops_public_key]
}

# --- Look-ups -----------------------------------------------------------------

data "idcloudhost_locations" "all" {}

data "idcloudhost_vm_images" "ubuntu" {
  os_name = "ubuntu"
}

data "idcloudhost_boot_images" "install" {
  count              = local.has_boot_images ? 1 : 0
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
  count      = local.has_ssh_keys ? 1 : 0
  name       = "demo-ops"
  public_key = local.ops_public_key
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
  ssh_key_ids       = local.ssh_key_ids
  public_keys       = local.public_keys
  reserve_public_ip = false # reached through the load balancer
  # JSON with runcmd only: the one cloud-init form every brand takes.
  cloud_init = jsonencode({
    runcmd = ["apt-get install -y nginx"]
  })
}

resource "idcloudhost_firewall" "web" {
  count       = local.has_firewalls ? 1 : 0
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
  count         = local.has_firewalls ? length(idcloudhost_vm.web) : 0
  firewall_uuid = idcloudhost_firewall.web[0].id
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
  ssh_key_ids       = local.ssh_key_ids
  public_keys       = local.public_keys
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
  name    = var.brand == "elastis" ? null : "demo-data" # elastis.id disks have no name
  size_gb = 50
}

resource "idcloudhost_disk_attachment" "data" {
  vm_uuid   = idcloudhost_vm.admin.id
  disk_uuid = idcloudhost_disk.data.id
}

# --- Managed PostgreSQL, reachable from the app VMs only ------------------------------

resource "idcloudhost_service_package" "db" {
  count             = local.has_databases ? 1 : 0
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
  value = local.has_boot_images ? [for i in data.idcloudhost_boot_images.install[0].images : i.image_name] : []
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
  value       = [for db in idcloudhost_service_package.db : "postgresql://${db.sql_user}@${db.service_ip}:${db.port}/postgres"]
}

output "database_password" {
  value     = one(idcloudhost_service_package.db[*].password)
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
