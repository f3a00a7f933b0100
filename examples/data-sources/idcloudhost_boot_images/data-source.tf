# Installation media (ISO images) whose name starts with "ubuntu".
data "idcloudhost_boot_images" "ubuntu_iso" {
  name_regex         = "(?i)^ubuntu"
  installation_media = true
}

output "ubuntu_iso" {
  value = [for i in data.idcloudhost_boot_images.ubuntu_iso.images : {
    uuid = i.uuid
    name = i.image_name
  }]
}
