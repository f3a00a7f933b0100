# Terraform 1.12 and later. `location` is optional: without it, the provider's
# `location`, else the account's default location.
import {
  to = idcloudhost_disk_attachment.data
  identity = {
    vm_uuid   = "5052bf02-044a-4d35-a803-d6b156f84beb"
    disk_uuid = "3d91aa31-16ec-44ee-b8b3-22a0bda6559e"
    location  = "jkt01"
  }
}
