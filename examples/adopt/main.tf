# Adopting an existing account: this file and adopt.tfquery.hcl, then
#   terraform query -generate-config-out=adopted.tf
#   terraform apply
# See docs/guides/adopt-an-existing-account.md.
terraform {
  required_version = ">= 1.14"
  required_providers {
    idcloudhost = {
      source = "idcloudhost/idcloudhost"
    }
  }
}

# The API key comes from IDCLOUDHOST_API_KEY. Location-scoped objects are
# listed in the provider's location (else the account's default location).
provider "idcloudhost" {
  location = "jkt01"
}
