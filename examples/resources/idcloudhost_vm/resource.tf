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

  username = "deploy"
  # Write-only (Terraform 1.11+): never stored in the plan or state. Change
  # password_wo_version to set a new password. Before Terraform 1.11, use
  # `password = var.vm_password` instead (stored in the state).
  password_wo         = var.vm_password
  password_wo_version = 1
  public_keys         = [file("~/.ssh/id_ed25519.pub")]
  cloud_init          = <<-EOT
    #cloud-config
    packages: [nginx]
  EOT

  backup      = true
  power_state = "running"

  timeouts {
    create = "15m"
  }
}

# Ephemeral: Terraform keeps its value out of the plan file too.
variable "vm_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

output "web_public_ip" {
  value = idcloudhost_vm.web.public_ipv4
}
