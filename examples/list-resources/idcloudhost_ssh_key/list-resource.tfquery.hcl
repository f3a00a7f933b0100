# Every SSH key of the account.
# `terraform query` prints them; `terraform query -generate-config-out=generated.tf`
# writes an import block and configuration for each.
list "idcloudhost_ssh_key" "all" {
  provider = idcloudhost
}
