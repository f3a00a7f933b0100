# All plain operating system images named exactly "ubuntu".
data "idcloudhost_vm_images" "ubuntu" {
  os_name = "ubuntu"
  catalog = "plain_os"
}

output "ubuntu_versions" {
  value = [for v in data.idcloudhost_vm_images.ubuntu.images[0].versions : v.os_version]
}

# Every image in the application catalog.
data "idcloudhost_vm_images" "apps" {
  catalog = "app_catalog"
}

output "app_names" {
  value = [for i in data.idcloudhost_vm_images.apps.images : i.os_name]
}
