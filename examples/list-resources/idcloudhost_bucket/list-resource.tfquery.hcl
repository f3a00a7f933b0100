# Buckets whose name starts with `logs`.
# `terraform query` prints them; `terraform query -generate-config-out=generated.tf`
# writes an import block and configuration for each.
list "idcloudhost_bucket" "logs" {
  provider = idcloudhost

  config {
    name_regex = "^logs"
  }
}
