# warrenio/warren → idcloudhost/idcloudhost with moved blocks (Terraform 1.8+; `terraform init`
# keeps the old provider installed while the state refers to it;
# see docs/guides/migrate-from-warren.md). Comments name what each argument was
# called before.

terraform {
  required_providers {
    idcloudhost = {
      source = "idcloudhost/idcloudhost"
    }
  }
}

provider "idcloudhost" {
  # api_token → api_key (IDCLOUDHOST_API_KEY instead of WARREN_API_TOKEN).
  # api_url "https://api.idcloudhost.com/v1/jkt01" → api_url without the
  # location, and the location on its own:
  location = "jkt01"
}

resource "idcloudhost_network" "app" { # was warren_network
  name = "app"
}

moved {
  from = warren_network.app
  to   = idcloudhost_network.app
}

resource "idcloudhost_vm" "web" { # was warren_virtual_machine
  name               = "web"
  os_name            = "ubuntu"
  os_version         = "22.04-lts"
  vcpu               = 1
  ram_mb             = 1024 # was memory
  disk_size_gb       = 20   # was disk_size_in_gb
  username           = "ops"
  network_uuid       = idcloudhost_network.app.id
  billing_account_id = 1200132376 # was billing_account
  reserve_public_ip  = false      # Warren's default when unset
  public_keys        = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB4mvUhGz0qjzhd4FqzZb2NSMRGXCuQEBxV1aCsH7Xhd ops@example"] # was public_key
}

moved {
  from = warren_virtual_machine.web
  to   = idcloudhost_vm.web
}

resource "idcloudhost_disk" "data" { # was warren_disk
  size_gb = 50 # was size_in_gb
}

moved {
  from = warren_disk.data
  to   = idcloudhost_disk.data
}

# warren_disk's server_uuid is a separate attachment here: <vm uuid>/<disk uuid>.
resource "idcloudhost_disk_attachment" "data" {
  vm_uuid   = idcloudhost_vm.web.id
  disk_uuid = idcloudhost_disk.data.id
}

import {
  to = idcloudhost_disk_attachment.data
  id = "0b3c5e0a-6c1d-4f4e-9d55-3f1e2a9b7c10/7f1d2c3b-8a9e-4b5c-a6d7-e8f9a0b1c2d3"
}

resource "idcloudhost_floating_ip" "edge" { # was warren_floating_ip (id: the numeric id → the address)
  name = "edge"
}

moved {
  from = warren_floating_ip.edge
  to   = idcloudhost_floating_ip.edge
}
