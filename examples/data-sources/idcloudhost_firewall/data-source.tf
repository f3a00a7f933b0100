# A shared firewall, found by name, applied to a new VM.
data "idcloudhost_firewall" "web" {
  name     = "web"
  location = "jkt01"
}

resource "idcloudhost_vm" "web" {
  name       = "web"
  location   = "jkt01"
  os_name    = "ubuntu"
  os_version = "24.04-lts"
  vcpu       = 1
  ram_mb     = 1024
}

resource "idcloudhost_firewall_attachment" "web" {
  location      = "jkt01"
  firewall_uuid = data.idcloudhost_firewall.web.id
  vm_uuid       = idcloudhost_vm.web.id
}
