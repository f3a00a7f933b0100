# Every registered SSH key whose name starts with "ops-".
data "idcloudhost_ssh_keys" "ops" {
  name_regex = "^ops-"
}

resource "idcloudhost_vm" "bastion" {
  name        = "bastion"
  os_name     = "ubuntu"
  os_version  = "24.04-lts"
  vcpu        = 1
  ram_mb      = 1024
  ssh_key_ids = data.idcloudhost_ssh_keys.ops.ids
}
