# A floating IP reserved elsewhere, found by name.
data "idcloudhost_floating_ip" "office" {
  name     = "office-gateway"
  location = "jkt01"
}

output "office_address" {
  value = data.idcloudhost_floating_ip.office.address
}
