# Data disks whose name ends in `-data`.
# `terraform query` prints them; `terraform query -generate-config-out=generated.tf`
# writes an import block and configuration for each.
list "idcloudhost_disk" "data" {
  provider = idcloudhost

  config {
    name_regex = "-data$"
  }
}
