# The platform's hourly prices, and a few read out of them.
data "idcloudhost_pricing" "current" {}

locals {
  prices = data.idcloudhost_pricing.current.policy

  cpu_per_hour        = one([for p in local.prices : p.price / p.num_cpus if p.resource_type == "CPU" && p.num_cpus == 1])
  storage_gb_per_hour = one([for p in local.prices : p.price if p.resource_type == "STORAGE" && p.kind == "main"])
}

output "cpu_per_month" {
  value = local.cpu_per_hour * 730
}

output "storage_100gb_per_month" {
  value = local.storage_gb_per_hour * 100 * 730
}
