# teliti-dev/idcloudhost → idcloudhost/idcloudhost, after
#
#   terraform state replace-provider registry.terraform.io/teliti-dev/idcloudhost registry.terraform.io/idcloudhost/idcloudhost
#
# (see docs/guides/migrate-from-teliti-dev.md). Comments name what each
# argument was called before.

terraform {
  required_providers {
    idcloudhost = {
      source = "idcloudhost/idcloudhost" # was "teliti-dev/idcloudhost"
    }
  }
}

provider "idcloudhost" {
  location = "jkt01" # was region
}

resource "idcloudhost_network" "app" {
  name = "app"
  # default → is_default (leave it out to keep what the network is)
}

resource "idcloudhost_firewall" "web" {
  name               = "web" # was display_name
  billing_account_id = 1200132376

  # rules (a list) → rule blocks (a set: order does not matter)
  rule {
    direction   = "inbound"
    protocol    = "tcp"
    port_start  = 22
    ip_prefixes = ["203.0.113.0/24"] # was endpoint_spec_type = "ip_prefixes", endpoint_spec
  }
  rule {
    direction  = "inbound"
    protocol   = "tcp"
    port_start = 443
    # endpoint_spec_type = "any": leave ip_prefixes out
  }
}

# idcloudhost_loadbalancer is spelled idcloudhost_load_balancer here.
resource "idcloudhost_load_balancer" "web" {
  name               = "web" # was display_name
  billing_account_id = 1200132376
  network_uuid       = idcloudhost_network.app.id
  reserve_public_ip  = false # teliti's default; ours is true

  forwarding_rule { # was forwarding_rules
    source_port = 80
    target_port = 8080
  }
}

moved {
  from = idcloudhost_loadbalancer.web
  to   = idcloudhost_load_balancer.web
}

# idcloudhost_objectstorage is idcloudhost_bucket here.
resource "idcloudhost_bucket" "assets" {
  name = "assets"
}

moved {
  from = idcloudhost_objectstorage.assets
  to   = idcloudhost_bucket.assets
}
