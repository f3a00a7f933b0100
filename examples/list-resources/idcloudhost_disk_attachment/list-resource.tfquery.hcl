# Disk attachments, named `<disk> on <VM>`: those of the VM `app-1`.
# `terraform query` prints them; `terraform query -generate-config-out=generated.tf`
# writes an import block and configuration for each.
list "idcloudhost_disk_attachment" "app" {
  provider = idcloudhost

  config {
    name_regex = " on app-1$"
  }
}
