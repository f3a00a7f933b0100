# Terraform 1.12 and later. `location` is optional: without it, the provider's
# `location`, else the account's default location.
import {
  to = idcloudhost_firewall_attachment.web
  identity = {
    firewall_uuid = "2a874f44-310f-4df8-9340-1dc274c2bd51"
    vm_uuid       = "ff4b3c1b-998a-48a5-9bf4-5777ee2ae9db"
    location      = "jkt01"
  }
}
