# Every managed PostgreSQL package of the account.
data "idcloudhost_service_packages" "all" {}

output "postgres_packages" {
  value = [for p in data.idcloudhost_service_packages.all.service_packages : p.name if p.service == "postgresql"]
}
