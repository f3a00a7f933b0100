# What a configuration costs, known at plan time.
variable "workers" {
  type    = number
  default = 3
}

resource "idcloudhost_vm" "all" {
  count      = var.workers
  name       = "worker-${count.index}"
  os_name    = "ubuntu"
  os_version = "24.04-lts"
  vcpu       = 2
  ram_mb     = 4096
  backup     = true
}

resource "idcloudhost_disk" "data" {
  size_gb = 100
}

output "monthly_cost" {
  description = "What the VMs and the data disk cost per month (730 hours), from the platform's prices."
  value       = sum(concat([for vm in idcloudhost_vm.all : vm.estimated_monthly_cost], [idcloudhost_disk.data.estimated_monthly_cost]))
}

# This month's charges so far, as the platform bills them.
data "idcloudhost_usage" "this_month" {}

output "charged_this_month" {
  value = data.idcloudhost_usage.this_month.total_cost
}
