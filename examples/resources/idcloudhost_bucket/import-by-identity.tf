# Terraform 1.12 and later. Buckets are not location-scoped: the identity is
# the bucket's name.
import {
  to = idcloudhost_bucket.example
  identity = {
    id = "example-company-backups"
  }
}
