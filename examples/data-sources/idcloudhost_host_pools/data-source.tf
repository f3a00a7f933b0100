# The server classes of jkt01 and their VM sizing limits.
data "idcloudhost_host_pools" "jkt01" {
  location = "jkt01"
}

locals {
  # The first pool that can run an 8-vCPU VM.
  big_pool = [for p in data.idcloudhost_host_pools.jkt01.pools : p.uuid if p.vcpu_max >= 8][0]
}

resource "idcloudhost_vm" "worker" {
  name                 = "worker"
  location             = "jkt01"
  os_name              = "ubuntu"
  os_version           = "24.04-lts"
  vcpu                 = 8
  ram_mb               = 16384
  designated_pool_uuid = local.big_pool
}
