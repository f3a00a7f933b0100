resource "idcloudhost_vm" "web" {
  name              = "web"
  location          = "jkt01"
  os_name           = "ubuntu"
  os_version        = "22.04-lts"
  vcpu              = 1
  ram_mb            = 1024
  disk_size_gb      = 20
  reserve_public_ip = false # the floating IP below is its public address
}

resource "idcloudhost_floating_ip" "web" {
  name     = "web-public"
  location = "jkt01"
}

# Map the floating IP to the VM. Destroying the assignment unassigns the
# address; it stays reserved by idcloudhost_floating_ip.web.
resource "idcloudhost_floating_ip_assignment" "web" {
  location = "jkt01"
  address  = idcloudhost_floating_ip.web.address
  vm_uuid  = idcloudhost_vm.web.id
}

# Refer to the assignment for the VM's public address: it is right after the
# first apply, while idcloudhost_vm.web.public_ipv4 (read from the API) is only
# filled by the next refresh, because the assignment is made after the VM.
output "web_public_ip" {
  value = idcloudhost_floating_ip_assignment.web.address
}
