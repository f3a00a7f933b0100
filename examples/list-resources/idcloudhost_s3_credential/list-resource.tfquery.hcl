# Every S3 key pair of the account.
# `terraform query` prints them; `terraform query -generate-config-out=generated.tf`
# writes an import block and configuration for each.
list "idcloudhost_s3_credential" "all" {
  provider = idcloudhost
}
