# The public address of a load balancer managed elsewhere.
data "idcloudhost_load_balancer" "web" {
  name     = "web"
  location = "jkt01"
}

output "web_address" {
  value = data.idcloudhost_load_balancer.web.public_address
}
