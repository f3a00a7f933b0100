# Attachments of the firewall `web` (named `<firewall> on <VM>`).
# `terraform query` prints them; `terraform query -generate-config-out=generated.tf`
# writes an import block and configuration for each.
list "idcloudhost_firewall_attachment" "web" {
  provider = idcloudhost

  config {
    name_regex = "^web on "
  }
}
