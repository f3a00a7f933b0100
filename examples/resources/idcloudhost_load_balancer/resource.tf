# Two web servers behind a TCP load balancer with a public address.
resource "idcloudhost_network" "web" {
  name     = "web"
  location = "jkt01"
}

resource "idcloudhost_vm" "web" {
  count        = 2
  name         = "web-${count.index}"
  location     = "jkt01"
  network_uuid = idcloudhost_network.web.id
  os_name      = "ubuntu"
  os_version   = "24.04-lts"
  vcpu         = 1
  ram_mb       = 1024
  disk_size_gb = 20
}

resource "idcloudhost_load_balancer" "web" {
  name         = "web"
  location     = "jkt01"
  network_uuid = idcloudhost_network.web.id

  # HTTP and HTTPS to the same ports on every target.
  forwarding_rule {
    source_port = 80
    target_port = 80
  }
  forwarding_rule {
    source_port = 443
    target_port = 443
  }

  dynamic "target" {
    for_each = idcloudhost_vm.web
    content {
      target_uuid = target.value.id
    }
  }
}

output "web_address" {
  value = idcloudhost_load_balancer.web.public_address
}
