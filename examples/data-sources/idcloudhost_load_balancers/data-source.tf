# Every load balancer of the location.
data "idcloudhost_load_balancers" "all" {
  location = "jkt01"
}

output "load_balancer_addresses" {
  value = { for lb in data.idcloudhost_load_balancers.all.load_balancers : lb.name => lb.public_address }
}
