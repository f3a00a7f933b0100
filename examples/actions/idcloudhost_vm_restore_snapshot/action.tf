# Roll a VM back to its newest snapshot:
#   terraform apply -invoke=action.idcloudhost_vm_restore_snapshot.web
data "idcloudhost_vm" "web" {
  name     = "web"
  location = "jkt01"
}

data "idcloudhost_vm_snapshots" "web" {
  vm_uuid  = data.idcloudhost_vm.web.id
  location = "jkt01"
}

action "idcloudhost_vm_restore_snapshot" "web" {
  config {
    vm_uuid     = data.idcloudhost_vm.web.id
    location    = "jkt01"
    snapshot_id = data.idcloudhost_vm_snapshots.web.snapshots[0].id
  }
}
