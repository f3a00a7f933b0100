# Managed databases named `prod-...`.
# `terraform query` prints them; `terraform query -generate-config-out=generated.tf`
# writes an import block and configuration for each.
list "idcloudhost_service_package" "prod" {
  provider = idcloudhost

  config {
    name_regex = "^prod-"
  }
}
