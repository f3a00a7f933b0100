# The size of a bucket created elsewhere.
data "idcloudhost_bucket" "assets" {
  name = "assets"
}

output "assets_bytes" {
  value = data.idcloudhost_bucket.assets.size_bytes
}
