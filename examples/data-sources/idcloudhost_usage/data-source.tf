# This month's charges of the provider's billing account (else the account's default one).
data "idcloudhost_usage" "this_month" {}

output "charged_so_far" {
  value = data.idcloudhost_usage.this_month.total_cost
}

# The five most expensive resources so far.
output "top_five" {
  value = slice(
    reverse(sort([for e in data.idcloudhost_usage.this_month.entries : format("%012.4f %s", e.cost, e.description)])),
    0,
    min(5, length(data.idcloudhost_usage.this_month.entries)),
  )
}
