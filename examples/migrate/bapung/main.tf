# bapung/idcloudhost → idcloudhost/idcloudhost, after
#
#   terraform state replace-provider registry.terraform.io/bapung/idcloudhost registry.terraform.io/idcloudhost/idcloudhost
#
# (see docs/guides/migrate-from-bapung.md). Comments name what each argument
# was called before.

terraform {
  required_providers {
    idcloudhost = {
      source = "idcloudhost/idcloudhost" # was "bapung/idcloudhost"
    }
  }
}

provider "idcloudhost" {
  # auth_token → api_key (or IDCLOUDHOST_API_KEY instead of IDCLOUDHOST_AUTH_TOKEN)
  location = "jkt01" # was region
}

variable "vm_password" {
  type      = string
  sensitive = true
}

resource "idcloudhost_vm" "web" {
  name               = "web"
  os_name            = "ubuntu"
  os_version         = "22.04-lts"
  vcpu               = 2
  ram_mb             = 2048 # was memory
  disk_size_gb       = 40   # was disks
  username           = "ops"
  password           = var.vm_password # was initial_password
  billing_account_id = 1200132376
  # bapung's provider never reserved a public address; without this line the
  # next apply would reserve one.
  reserve_public_ip = false
}

# idcloudhost_vm_disks was a disk and its attachment in one: here they are two.
resource "idcloudhost_disk" "data" {
  name    = "data"
  size_gb = 30 # was size
}

moved {
  from = idcloudhost_vm_disks.data
  to   = idcloudhost_disk.data
}

resource "idcloudhost_disk_attachment" "data" {
  vm_uuid   = idcloudhost_vm.web.id # was vm_uuid on idcloudhost_vm_disks
  disk_uuid = idcloudhost_disk.data.id
}

# The attachment's import ID is the old idcloudhost_vm_disks id: <vm uuid>/<disk uuid>.
import {
  to = idcloudhost_disk_attachment.data
  id = "0b3c5e0a-6c1d-4f4e-9d55-3f1e2a9b7c10/7f1d2c3b-8a9e-4b5c-a6d7-e8f9a0b1c2d3"
}

resource "idcloudhost_floating_ip" "edge" {
  name = "edge"
  # billing_account_id: leave it out (bapung's state held the user id there); the
  # first refresh records the real one.
}

# A floating IP's assigned_to is a separate resource here.
resource "idcloudhost_floating_ip_assignment" "edge" {
  address = idcloudhost_floating_ip.edge.address
  vm_uuid = idcloudhost_vm.web.id
}

import {
  to = idcloudhost_floating_ip_assignment.edge
  id = "103.150.100.10"
}
