# A bucket is imported by its name.
terraform import idcloudhost_bucket.example example-company-backups
