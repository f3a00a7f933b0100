# Floating IPs that are not assigned to anything (billed, unused).
# `terraform query` prints them; `terraform query -generate-config-out=generated.tf`
# writes an import block and configuration for each.
list "idcloudhost_floating_ip" "unused" {
  provider = idcloudhost

  config {
    assigned = false
  }
}
