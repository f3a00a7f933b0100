# Terraform 1.12 and later. `location` is optional: without it, the provider's
# `location`, else the account's default location.
import {
  to = idcloudhost_disk.data
  identity = {
    id       = "05a61876-86f3-4b05-b0ec-53ee6fa03ced"
    location = "jkt02"
  }
}
