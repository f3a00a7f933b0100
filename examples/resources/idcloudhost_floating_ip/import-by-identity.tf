# Terraform 1.12 and later. `location` is optional: without it, the provider's
# `location`, else the account's default location.
import {
  to = idcloudhost_floating_ip.web
  identity = {
    id       = "203.0.113.10"
    location = "jkt01"
  }
}
