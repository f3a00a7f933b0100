# A managed PostgreSQL database whose password stays out of the state.
resource "idcloudhost_service_package" "db" {
  name           = "orders-db"
  service        = "postgresql"
  version        = "14.0"
  vcpu           = 2
  ram_mb         = 4096
  disk_size_gb   = 40
  store_password = false
}

# Its connection details and password, read when Terraform needs them and
# never stored.
ephemeral "idcloudhost_service_package_credentials" "db" {
  service_uuid = idcloudhost_service_package.db.id
}

locals {
  db = ephemeral.idcloudhost_service_package_credentials.db
}

# An application VM that receives the database URL through a write-only
# argument (Terraform 1.11 or later): in the guest, never in the state.
resource "idcloudhost_vm" "app" {
  name       = "orders-app"
  os_name    = "ubuntu"
  os_version = "22.04-lts"
  vcpu       = 2
  ram_mb     = 2048
  cloud_init_wo = jsonencode({
    write_files = [{
      path        = "/etc/orders/database.url"
      permissions = "0600"
      content     = "postgres://${local.db.username}:${local.db.password}@${local.db.host}:${local.db.port}/${local.db.database}"
    }]
  })
  cloud_init_wo_version = 1
}
