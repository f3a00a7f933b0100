# A 24-character password (lowercase and uppercase letters and digits, as the
# API's password rule asks), generated for this run and never stored.
ephemeral "idcloudhost_vm_password" "web" {}

# A longer one with special characters.
ephemeral "idcloudhost_vm_password" "admin" {
  length  = 40
  special = true
}

# Sent when the VM is created; a new password is generated on every run but
# sent again only when password_wo_version changes (Terraform 1.11 or later).
resource "idcloudhost_vm" "web" {
  name                = "web-1"
  os_name             = "ubuntu"
  os_version          = "22.04-lts"
  vcpu                = 1
  ram_mb              = 1024
  username            = "deploy"
  password_wo         = ephemeral.idcloudhost_vm_password.web.password
  password_wo_version = 1
}
