# Every load balancer in jkt02.
# `terraform query` prints them; `terraform query -generate-config-out=generated.tf`
# writes an import block and configuration for each.
list "idcloudhost_load_balancer" "all" {
  provider = idcloudhost

  config {
    location = "jkt02"
  }
}
