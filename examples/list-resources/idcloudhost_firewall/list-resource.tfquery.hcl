# Every firewall in the provider's location.
# `terraform query` prints them; `terraform query -generate-config-out=generated.tf`
# writes an import block and configuration for each.
list "idcloudhost_firewall" "all" {
  provider = idcloudhost
}
