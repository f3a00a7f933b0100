# Day-2 operations without Terraform actions (Terraform before 1.14, OpenTofu).

# Changing os_name/os_version reinstalls this VM in place (same uuid, addresses
# and attachments; the boot disk's content is erased) instead of replacing it.
# force_stop: a guest that ignores the graceful shutdown is stopped with force
# when the provider has to stop it (power_state = "stopped", a vcpu/RAM change).
resource "idcloudhost_vm" "app" {
  name       = "app"
  os_name    = "debian"
  os_version = "12"
  vcpu       = 2
  ram_mb     = 2048
  username   = "deploy"

  os_change  = "reinstall"
  force_stop = true
}

# A clone of the VM above: source_uuid without source_replica. The clone keeps
# the source's disk, operating system, users and keys; vcpu, RAM and a larger
# disk are applied to it after.
resource "idcloudhost_vm" "app_copy" {
  name        = "app-copy"
  source_uuid = idcloudhost_vm.app.id
  vcpu        = 4
  ram_mb      = 4096
}
