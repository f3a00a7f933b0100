# A VM with an SSH key registered elsewhere (IDCloudHost only).
data "idcloudhost_ssh_key" "ops" {
  name = "ops"
}

resource "idcloudhost_vm" "web" {
  name        = "web"
  os_name     = "ubuntu"
  os_version  = "24.04-lts"
  vcpu        = 1
  ram_mb      = 1024
  ssh_key_ids = [data.idcloudhost_ssh_key.ops.id]
}
