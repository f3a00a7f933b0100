# Everything in the account, one list block per resource type. Location-scoped
# types are listed in the provider's location; add blocks with
# `config { location = "..." }` for other locations, and filters (`name_regex`,
# ...) to adopt less. `terraform query` shows what would be adopted.

list "idcloudhost_vm" "all" {
  provider = idcloudhost
}

list "idcloudhost_vm_snapshot" "all" {
  provider = idcloudhost
}

list "idcloudhost_network" "all" {
  provider = idcloudhost
}

list "idcloudhost_floating_ip" "all" {
  provider = idcloudhost
}

list "idcloudhost_floating_ip_assignment" "all" {
  provider = idcloudhost
}

list "idcloudhost_disk" "all" {
  provider = idcloudhost
}

list "idcloudhost_disk_attachment" "all" {
  provider = idcloudhost
}

list "idcloudhost_firewall" "all" {
  provider = idcloudhost
}

list "idcloudhost_firewall_attachment" "all" {
  provider = idcloudhost
}

list "idcloudhost_load_balancer" "all" {
  provider = idcloudhost
}

list "idcloudhost_service_package" "all" {
  provider = idcloudhost
}

list "idcloudhost_ssh_key" "all" {
  provider = idcloudhost
}

list "idcloudhost_bucket" "all" {
  provider = idcloudhost
}

list "idcloudhost_s3_credential" "all" {
  provider = idcloudhost
}
