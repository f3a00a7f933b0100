resource "idcloudhost_firewall" "web" {
  name     = "web"
  location = "jkt01"

  rule {
    direction  = "inbound"
    protocol   = "tcp"
    port_start = 443
  }
}

resource "idcloudhost_vm" "web" {
  name         = "web-1"
  location     = "jkt01"
  os_name      = "ubuntu"
  os_version   = "24.04-lts"
  vcpu         = 1
  ram_mb       = 1024
  disk_size_gb = 20
}

# Apply the firewall's rules to the VM. Destroying the attachment removes the
# firewall from the VM; both stay.
resource "idcloudhost_firewall_attachment" "web" {
  location      = "jkt01"
  firewall_uuid = idcloudhost_firewall.web.id
  vm_uuid       = idcloudhost_vm.web.id
}
