# zorgatia/cloudaxion → idcloudhost/idcloudhost with moved blocks (Terraform 1.8+; `terraform init`
# keeps the old provider installed while the state refers to it;
# see docs/guides/migrate-from-cloudaxion.md). Comments name what each argument
# was called before.

terraform {
  required_providers {
    idcloudhost = {
      source = "idcloudhost/idcloudhost"
    }
  }
}

provider "idcloudhost" {
  # api_key, location and billing_account_id keep their names; endpoint → api_url.
  location = "jkt01"
}

resource "idcloudhost_network" "app" { # was cloudaxion_private_network
  name = "app"
}

moved {
  from = cloudaxion_private_network.app
  to   = idcloudhost_network.app
}

resource "idcloudhost_vm" "web" { # was cloudaxion_vm
  name              = "web"
  os_name           = "ubuntu"
  os_version        = "24.04"
  vcpu              = 2
  ram_mb            = 2048 # was ram
  disk_size_gb      = 40   # was disk_gb
  network_uuid      = idcloudhost_network.app.id
  reserve_public_ip = false
  power_state       = "running" # was state
  public_keys       = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4mvUhGz0qjzhd4FqzZb2NSMRGXCuQEBxV1aCsH7Xhd ops@example"]
}

moved {
  from = cloudaxion_vm.web
  to   = idcloudhost_vm.web
}

resource "idcloudhost_disk" "data" { # was cloudaxion_block_volume
  name    = "data"
  size_gb = 50 # was size_gb
}

moved {
  from = cloudaxion_block_volume.data
  to   = idcloudhost_disk.data
}

resource "idcloudhost_disk_attachment" "data" { # was cloudaxion_volume_attachment
  vm_uuid   = idcloudhost_vm.web.id   # was vm_id
  disk_uuid = idcloudhost_disk.data.id # was volume_id
}

moved {
  from = cloudaxion_volume_attachment.data
  to   = idcloudhost_disk_attachment.data
}

resource "idcloudhost_firewall" "web" { # was cloudaxion_firewall
  name = "web"
  rule {
    direction  = "inbound"
    protocol   = "tcp"
    port_start = 443
  }
}

moved {
  from = cloudaxion_firewall.web
  to   = idcloudhost_firewall.web
}

resource "idcloudhost_firewall_attachment" "web" { # was cloudaxion_firewall_attachment
  firewall_uuid = idcloudhost_firewall.web.id # was firewall_id
  vm_uuid       = idcloudhost_vm.web.id       # was vm_id
}

moved {
  from = cloudaxion_firewall_attachment.web
  to   = idcloudhost_firewall_attachment.web
}
