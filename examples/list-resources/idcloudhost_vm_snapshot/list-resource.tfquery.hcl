# Snapshots of the VMs named `db-...`, in the provider's location.
# `terraform query` prints them; `terraform query -generate-config-out=generated.tf`
# writes an import block and configuration for each.
list "idcloudhost_vm_snapshot" "db" {
  provider = idcloudhost

  config {
    name_regex = "^db-"
  }
}
