# Every floating IP assignment in sgp01.
# `terraform query` prints them; `terraform query -generate-config-out=generated.tf`
# writes an import block and configuration for each.
list "idcloudhost_floating_ip_assignment" "all" {
  provider = idcloudhost

  config {
    location = "sgp01"
  }
}
