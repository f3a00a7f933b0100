# Terraform 1.12 and later. `location` is optional: without it, the provider's
# `location`, else the account's default location.
import {
  to = idcloudhost_load_balancer.web
  identity = {
    id       = "438ac62f-e97b-4ef0-8940-507b9e94af43"
    location = "jkt01"
  }
}
