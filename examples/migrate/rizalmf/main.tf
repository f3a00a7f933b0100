# rizalmf/idcloudhost → idcloudhost/idcloudhost, after
#
#   terraform state replace-provider registry.terraform.io/rizalmf/idcloudhost registry.terraform.io/idcloudhost/idcloudhost
#
# (see docs/guides/migrate-from-rizalmf.md). The two types spelled differently
# here move with moved blocks (Terraform 1.8+). Comments name what each
# argument was called before.

terraform {
  required_providers {
    idcloudhost = {
      source = "idcloudhost/idcloudhost" # was "rizalmf/idcloudhost"
    }
  }
}

provider "idcloudhost" {
  # apikey → api_key; baseurl → api_url
  location = "jkt01" # was default_location
}

variable "vm_password" {
  type      = string
  sensitive = true
}

resource "idcloudhost_network" "app" { # was idcloudhost_private_network
  name = "app"
}

moved {
  from = idcloudhost_private_network.app
  to   = idcloudhost_network.app
}

resource "idcloudhost_vm" "web" {
  name               = "web"
  os_name            = "ubuntu"
  os_version         = "22.04-lts"
  vcpu               = 1
  ram_mb             = 1024 # was ram
  disk_size_gb       = 20   # was disks
  username           = "ops"
  password           = var.vm_password
  network_uuid       = idcloudhost_network.app.id # was private_network_uuid
  billing_account_id = 1200132376
  reserve_public_ip  = false # rizalmf's provider never reserved one
  # desired_status → power_state (default "running")
  # float_ip_address → the idcloudhost_floating_ip_assignment below
}

resource "idcloudhost_floating_ip" "edge" { # was idcloudhost_float_ip
  name               = "edge"
  billing_account_id = 1200132376
}

moved {
  from = idcloudhost_float_ip.edge
  to   = idcloudhost_floating_ip.edge
}

resource "idcloudhost_floating_ip_assignment" "edge" {
  address = idcloudhost_floating_ip.edge.address
  vm_uuid = idcloudhost_vm.web.id
}

import {
  to = idcloudhost_floating_ip_assignment.edge
  id = "103.150.100.10"
}
