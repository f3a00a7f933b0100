# A firewall for web servers. Rules are a set: their order does not matter.
resource "idcloudhost_firewall" "web" {
  name        = "web"
  description = "HTTP(S) from anywhere, SSH from the office"
  location    = "jkt01"

  # SSH from the office network and one admin host only.
  rule {
    direction   = "inbound"
    protocol    = "tcp"
    port_start  = 22
    ip_prefixes = ["203.0.113.0/24", "198.51.100.7"]
  }

  # HTTP and HTTPS from any address (ip_prefixes omitted).
  rule {
    direction  = "inbound"
    protocol   = "tcp"
    port_start = 80
  }
  rule {
    direction  = "inbound"
    protocol   = "tcp"
    port_start = 443
  }

  # A port range.
  rule {
    direction  = "inbound"
    protocol   = "udp"
    port_start = 60000
    port_end   = 61000
  }

  # ICMP (ping) takes no ports.
  rule {
    direction = "inbound"
    protocol  = "icmp"
  }

  # Every outbound port, to any address (port_start omitted).
  rule {
    direction = "outbound"
    protocol  = "tcp"
  }
}
