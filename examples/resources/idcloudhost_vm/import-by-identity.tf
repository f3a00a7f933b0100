# Terraform 1.12 and later. `location` is optional: without it, the provider's
# `location`, else the account's default location.
import {
  to = idcloudhost_vm.web
  identity = {
    id       = "5aea1842-895f-4bd3-8bd6-e37b2282fb46"
    location = "jkt02"
  }
}
