# Addresses that are reserved (and billed) but assigned to nothing.
data "idcloudhost_floating_ips" "unused" {
  location = "jkt01"
  assigned = false
}

output "unused_addresses" {
  value = data.idcloudhost_floating_ips.unused.ids
}
