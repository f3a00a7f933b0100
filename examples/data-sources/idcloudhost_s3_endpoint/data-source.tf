data "idcloudhost_s3_endpoint" "s3" {}

output "s3_endpoint" {
  value = data.idcloudhost_s3_endpoint.s3.url
}
