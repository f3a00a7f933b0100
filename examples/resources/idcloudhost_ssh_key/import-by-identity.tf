# Terraform 1.12 and later. SSH keys are global: the identity has no location.
import {
  to = idcloudhost_ssh_key.laptop
  identity = {
    id = "3f8f4c5a-2c6d-4f0a-9a3a-8c9f6e3f1a2b"
  }
}
