# Build a VM from the newest snapshot of an existing VM.
data "idcloudhost_vm" "web" {
  name     = "web"
  location = "jkt01"
}

data "idcloudhost_vm_snapshots" "web" {
  vm_uuid  = data.idcloudhost_vm.web.id
  location = "jkt01"
  r_type   = "snapshot"
}

resource "idcloudhost_vm" "restored" {
  name           = "web-restored"
  location       = "jkt01"
  vcpu           = 1
  ram_mb         = 1024
  source_uuid    = data.idcloudhost_vm.web.id
  source_replica = data.idcloudhost_vm_snapshots.web.snapshots[0].id
}
