data "idcloudhost_s3_endpoint" "s3" {}

# A new S3 access key pair of the account's object storage user.
resource "idcloudhost_s3_credential" "example" {}

output "s3_endpoint" {
  value = data.idcloudhost_s3_endpoint.s3.url
}

output "s3_access_key" {
  value = idcloudhost_s3_credential.example.access_key
}

output "s3_secret_key" {
  value     = idcloudhost_s3_credential.example.secret_key
  sensitive = true
}
