# A VM in a network created elsewhere, found by name.
data "idcloudhost_network" "backend" {
  name     = "backend"
  location = "jkt01"
}

resource "idcloudhost_vm" "worker" {
  name         = "worker"
  location     = "jkt01"
  network_uuid = data.idcloudhost_network.backend.id
  os_name      = "ubuntu"
  os_version   = "24.04-lts"
  vcpu         = 1
  ram_mb       = 1024
}
