# Bucket names are unique across all accounts of the platform.
resource "idcloudhost_bucket" "example" {
  name = "example-company-backups"

  # Optional: defaults to the provider's billing_account_id, else the account's
  # default billing account. Changed in place.
  # billing_account_id = 1200132376
}

output "bucket_objects" {
  value = idcloudhost_bucket.example.num_objects
}
