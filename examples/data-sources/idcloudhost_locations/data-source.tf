data "idcloudhost_locations" "all" {}

output "default_location" {
  value = data.idcloudhost_locations.all.default_slug
}

output "location_slugs" {
  value = [for l in data.idcloudhost_locations.all.locations : l.slug]
}
