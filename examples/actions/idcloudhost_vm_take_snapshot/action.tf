# A snapshot of the VM before every change Terraform makes to it.
locals {
  web_name = "web"
}

resource "idcloudhost_vm" "web" {
  name       = local.web_name
  location   = "jkt01"
  os_name    = "ubuntu"
  os_version = "24.04-lts"
  vcpu       = 2
  ram_mb     = 2048

  lifecycle {
    action_trigger {
      events  = [before_update]
      actions = [action.idcloudhost_vm_take_snapshot.web]
    }
  }
}

# Found by name: the VM's own id would be a cycle, since the action runs before
# the VM is updated.
action "idcloudhost_vm_take_snapshot" "web" {
  config {
    vm_name  = local.web_name
    location = "jkt01"
  }
}

# The snapshots taken so far, newest first.
data "idcloudhost_vm_snapshots" "web" {
  vm_uuid  = idcloudhost_vm.web.id
  location = "jkt01"
  r_type   = "snapshot"
}

# Taken on demand:  terraform apply -invoke=action.idcloudhost_vm_take_snapshot.web
