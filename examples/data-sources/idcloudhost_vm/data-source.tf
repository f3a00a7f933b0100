# An existing VM, found by name, and a floating IP pointed at it.
data "idcloudhost_vm" "web" {
  name     = "web"
  location = "jkt01"
}

resource "idcloudhost_floating_ip" "web" {
  name     = "web"
  location = "jkt01"
}

resource "idcloudhost_floating_ip_assignment" "web" {
  address  = idcloudhost_floating_ip.web.address
  location = "jkt01"
  vm_uuid  = data.idcloudhost_vm.web.id
}
