# Every running VM whose name starts with "web-", sorted by name.
data "idcloudhost_vms" "web" {
  location   = "jkt01"
  name_regex = "^web-"
  status     = "running"
}

output "web_private_ips" {
  value = [for vm in data.idcloudhost_vms.web.vms : vm.private_ipv4]
}
