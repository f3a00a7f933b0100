terraform {
  required_providers {
    idcloudhost = {
      source = "idcloudhost/idcloudhost"
    }
  }
}

variable "idcloudhost_api_key" {
  type      = string
  sensitive = true
}

provider "idcloudhost" {
  # Or leave unset and export IDCLOUDHOST_API_KEY.
  api_key = var.idcloudhost_api_key

  # Optional. Default: https://api.idcloudhost.com. The sister brands are
  # https://api.3nv.io and https://api.elastis.id (IDCLOUDHOST_API_URL).
  api_url = "https://api.idcloudhost.com"

  # Optional. Default location for location-scoped resources
  # (IDCLOUDHOST_LOCATION); otherwise the account's default location.
  location = "jkt01"

  # Optional. Billing account used when creating resources
  # (IDCLOUDHOST_BILLING_ACCOUNT_ID).
  # billing_account_id = 1200132376

  # Optional. Retries for transient API errors (default 4).
  max_retries = 4
}
