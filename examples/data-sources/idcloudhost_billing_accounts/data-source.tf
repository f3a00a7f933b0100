# Charge a VM to the billing account titled "Projects", else to the default one.
data "idcloudhost_billing_accounts" "all" {}

locals {
  projects_account = one([for a in data.idcloudhost_billing_accounts.all.accounts : a.id if a.title == "Projects"])
}

resource "idcloudhost_vm" "worker" {
  name               = "worker"
  os_name            = "ubuntu"
  os_version         = "24.04-lts"
  vcpu               = 2
  ram_mb             = 2048
  billing_account_id = coalesce(local.projects_account, data.idcloudhost_billing_accounts.all.default_id)
}
