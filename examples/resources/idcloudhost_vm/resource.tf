# Look up a published Ubuntu version instead of hard-coding it.
data "idcloudhost_vm_images" "ubuntu" {
  os_name = "ubuntu"
}

resource "idcloudhost_network" "app" {
  name = "app"
}

resource "idcloudhost_vm" "web" {
  name         = "web-1"
  os_name      = "ubuntu"
  os_version   = [for v in data.idcloudhost_vm_images.ubuntu.images[0].versions : v.os_version if v.published][0]
  vcpu         = 2
  ram_mb       = 2048
  disk_size_gb = 40
  network_uuid = idcloudhost_network.app.id

  username    = "deploy"
  password    = var.vm_password
  public_keys = [file("~/.ssh/id_ed25519.pub")]
  cloud_init  = <<-EOT
    #cloud-config
    packages: [nginx]
  EOT

  backup      = true
  power_state = "running"

  timeouts {
    create = "15m"
  }
}

variable "vm_password" {
  type      = string
  sensitive = true
}

output "web_public_ip" {
  value = idcloudhost_vm.web.public_ipv4
}
