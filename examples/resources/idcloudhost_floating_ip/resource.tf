# Reserve a public IPv4 address in jkt01. It stays reserved (and billed) until
# destroyed, whether or not it is assigned to anything.
resource "idcloudhost_floating_ip" "web" {
  name     = "web-public"
  location = "jkt01"

  # Optional: charge it to another billing account (changed in place).
  # billing_account_id = 1200132376
}

output "web_address" {
  value = idcloudhost_floating_ip.web.address
}
