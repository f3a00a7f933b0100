# Disks not attached to any VM.
data "idcloudhost_disks" "all" {
  location = "jkt01"
}

output "detached_disks" {
  value = [for d in data.idcloudhost_disks.all.disks : d.id if d.attached_to == null]
}
