# An SSH key is identified by its uuid (SSH keys are global: no location prefix).
terraform import idcloudhost_ssh_key.example 3f8f4c5a-2c6d-4f0a-9a3a-8c9f6e3f1a2b
