# Reinstall a VM in place (same uuid, addresses and attachments; the boot disk
# is erased):  terraform apply -invoke=action.idcloudhost_vm_reinstall.web
data "idcloudhost_vm" "web" {
  name     = "web"
  location = "jkt01"
}

action "idcloudhost_vm_reinstall" "web" {
  config {
    vm_uuid    = data.idcloudhost_vm.web.id
    location   = "jkt01"
    os_name    = "ubuntu"
    os_version = "24.04-lts"
  }
}
