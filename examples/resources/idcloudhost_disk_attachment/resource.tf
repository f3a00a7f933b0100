resource "idcloudhost_vm" "db" {
  name         = "db"
  os_name      = "ubuntu"
  os_version   = "22.04-lts"
  vcpu         = 2
  ram_mb       = 4096
  disk_size_gb = 20
}

resource "idcloudhost_disk" "data" {
  name    = "db-data"
  size_gb = 100
}

resource "idcloudhost_disk_attachment" "data" {
  vm_uuid   = idcloudhost_vm.db.id
  disk_uuid = idcloudhost_disk.data.id
}

# Mount it by its stable path inside the guest, e.g. in cloud-init or Ansible.
output "data_disk_path" {
  value = idcloudhost_disk_attachment.data.device_path # /dev/disk/by-id/virtio-<20 chars of the uuid>
}
