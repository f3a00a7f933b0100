terraform {
  # Ephemeral resources need 1.10, write-only arguments 1.11.
  required_version = ">= 1.11"
  required_providers {
    idcloudhost = {
      source = "idcloudhost/idcloudhost"
    }
  }
}

# The API key from IDCLOUDHOST_API_KEY: never in a .tf file, so never in the
# configuration snapshot a saved plan carries.
provider "idcloudhost" {}

# A managed PostgreSQL database. Its password stays in the platform: the state
# holds its address and user, not the password.
resource "idcloudhost_service_package" "db" {
  name           = "orders-db"
  service        = "postgresql"
  version        = "14.0"
  vcpu           = 1
  ram_mb         = 1024
  disk_size_gb   = 20
  store_password = false
}

# The database's credentials, read in each run that needs them, never stored.
ephemeral "idcloudhost_service_package_credentials" "db" {
  service_uuid = idcloudhost_service_package.db.id
}

# A login password for the VM, generated in the provider, never stored.
ephemeral "idcloudhost_vm_password" "app" {
  length = 32
}

locals {
  db = ephemeral.idcloudhost_service_package_credentials.db
}

resource "idcloudhost_vm" "app" {
  name       = "orders-app"
  os_name    = "ubuntu"
  os_version = "22.04-lts"
  vcpu       = 1
  ram_mb     = 1024
  username   = "deploy"

  # Write-only: sent at create (and when the version changes), never stored.
  password_wo         = ephemeral.idcloudhost_vm_password.app.password
  password_wo_version = 1

  # The application's database URL reaches the guest the same way.
  cloud_init_wo = jsonencode({
    write_files = [{
      path        = "/etc/orders/database.url"
      permissions = "0600"
      content     = "postgres://${local.db.username}:${local.db.password}@${local.db.host}:${local.db.port}/${local.db.database}"
    }]
  })
  cloud_init_wo_version = 1
}

# Outputs are stored in the state, sensitive or not: export addresses, not secrets.
output "database_address" {
  value = "${idcloudhost_service_package.db.service_ip}:${idcloudhost_service_package.db.port}"
}
