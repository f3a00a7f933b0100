# Running VMs in jkt01 whose name starts with `web-`.
# `terraform query` prints them; `terraform query -generate-config-out=generated.tf`
# writes an import block and configuration for each.
list "idcloudhost_vm" "web" {
  provider = idcloudhost

  # Also show each object's attributes, not only its identity.
  include_resource = true

  config {
    location   = "jkt01"
    name_regex = "^web-"
    status     = "running"
  }
}
