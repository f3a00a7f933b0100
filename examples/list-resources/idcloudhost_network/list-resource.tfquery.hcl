# Every network but the location's default one.
# `terraform query` prints them; `terraform query -generate-config-out=generated.tf`
# writes an import block and configuration for each.
list "idcloudhost_network" "private" {
  provider = idcloudhost

  config {
    is_default = false
  }
}
