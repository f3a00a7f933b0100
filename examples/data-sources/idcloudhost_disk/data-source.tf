# A data disk created elsewhere, attached to a new VM.
data "idcloudhost_disk" "data" {
  name     = "db-data"
  location = "jkt01"
}

resource "idcloudhost_vm" "db" {
  name       = "db"
  location   = "jkt01"
  os_name    = "ubuntu"
  os_version = "24.04-lts"
  vcpu       = 2
  ram_mb     = 4096
}

resource "idcloudhost_disk_attachment" "data" {
  location  = "jkt01"
  vm_uuid   = idcloudhost_vm.db.id
  disk_uuid = data.idcloudhost_disk.data.id
}
