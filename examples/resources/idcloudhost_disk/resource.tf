# An empty 50 GiB data disk.
resource "idcloudhost_disk" "data" {
  name    = "db-data"
  size_gb = 50
}

# A disk that starts as a copy of an OS image; its size comes from the image.
resource "idcloudhost_disk" "os" {
  name              = "ubuntu-copy"
  source_image_type = "OS_BASE"
  source_image      = "ubuntu_22.04-lts"
}

# A copy of another disk, made bigger than its source.
resource "idcloudhost_disk" "clone" {
  source_image_type = "DISK"
  source_image      = idcloudhost_disk.data.id
  size_gb           = 80
}
