# Terraform 1.12 and later. `location` is optional: without it, the provider's
# `location`, else the account's default location.
import {
  to = idcloudhost_firewall.web
  identity = {
    id       = "2a874f44-310f-4df8-9340-1dc274c2bd51"
    location = "jkt01"
  }
}
