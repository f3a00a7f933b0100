# The location's default network.
data "idcloudhost_networks" "default" {
  location   = "jkt01"
  is_default = true
}

output "default_subnet" {
  value = data.idcloudhost_networks.default.networks[0].subnet
}
