# Terraform 1.12 and later. `location` is optional: without it, the provider's
# `location`, else the account's default location.
import {
  to = idcloudhost_network.backend
  identity = {
    id       = "3f1c6a2e-8d4b-4c2a-9f55-0d7e1b2a4c6d"
    location = "jkt01"
  }
}
