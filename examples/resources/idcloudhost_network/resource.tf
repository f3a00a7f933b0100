# A private network in jkt01. The platform chooses its subnet.
resource "idcloudhost_network" "backend" {
  name     = "backend"
  location = "jkt01"
}

# Make another network the location's default: VMs created without a
# network_uuid land there.
resource "idcloudhost_network" "main" {
  name       = "main"
  location   = "jkt01"
  is_default = true
}

output "backend_subnet" {
  value = idcloudhost_network.backend.subnet
}
