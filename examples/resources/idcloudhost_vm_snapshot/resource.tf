# Snapshot a VM, then build a second VM from the snapshot.
resource "idcloudhost_vm" "web" {
  name       = "web"
  location   = "jkt01"
  os_name    = "ubuntu"
  os_version = "24.04-lts"
  vcpu       = 1
  ram_mb     = 1024
}

resource "idcloudhost_vm_snapshot" "web" {
  location = "jkt01"
  vm_uuid  = idcloudhost_vm.web.id
}

resource "idcloudhost_vm" "web_copy" {
  name           = "web-copy"
  location       = "jkt01"
  vcpu           = 1
  ram_mb         = 1024
  source_uuid    = idcloudhost_vm.web.id
  source_replica = idcloudhost_vm_snapshot.web.id
}
