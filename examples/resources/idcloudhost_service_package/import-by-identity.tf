# Terraform 1.12 and later. The package endpoints are global: the identity has
# no location (it is read from the API).
import {
  to = idcloudhost_service_package.db
  identity = {
    id = "71cddf54-35ed-4f6e-bdf7-d344bbf0a546"
  }
}
