# A managed PostgreSQL database in jkt01, reachable only from the office
# network and one admin host.
resource "idcloudhost_service_package" "db" {
  name         = "orders-db"
  location     = "jkt01"
  service      = "postgresql"
  version      = "14.0"
  vcpu         = 2
  ram_mb       = 4096
  disk_size_gb = 40

  allowed_addresses = [
    "10.123.8.0/24",
    "176.112.157.203",
  ]
}

output "db_address" {
  value = "${idcloudhost_service_package.db.service_ip}:${idcloudhost_service_package.db.port}"
}

output "db_password" {
  value     = idcloudhost_service_package.db.password
  sensitive = true
}
