# The address of a managed database created elsewhere.
data "idcloudhost_service_package" "orders" {
  name = "orders-db"
}

output "orders_db" {
  value = "${data.idcloudhost_service_package.orders.service_ip}:${data.idcloudhost_service_package.orders.port}"
}
