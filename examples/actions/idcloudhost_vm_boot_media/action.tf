# Boot a broken VM once from the platform's rescue ISO (IDCloudHost, 3nv.io):
#   terraform apply -invoke=action.idcloudhost_vm_boot_media.rescue_web
data "idcloudhost_vm" "web" {
  name     = "web"
  location = "jkt01"
}

data "idcloudhost_boot_images" "rescue" {
  name_regex         = "^systemrescue"
  installation_media = false
}

action "idcloudhost_vm_boot_media" "rescue_web" {
  config {
    vm_uuid         = data.idcloudhost_vm.web.id
    location        = "jkt01"
    boot_image_uuid = data.idcloudhost_boot_images.rescue.images[0].uuid
    force           = true # the guest is hung: do not wait for a graceful shutdown
  }
}

# Or boot an ISO of your own, uploaded to a disk marked read_only_bootable.
action "idcloudhost_vm_boot_media" "installer" {
  config {
    vm_uuid               = data.idcloudhost_vm.web.id
    location              = "jkt01"
    boot_image_uuid       = "3d91aa31-16ec-44ee-b8b3-22a0bda6559e"
    boot_image_repository = "private"
  }
}

# On elastis.id (brand = "elastis") leave boot_image_uuid out: the VM boots the
# platform's rescue image.
