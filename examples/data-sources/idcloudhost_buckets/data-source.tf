# Every bucket whose name ends in "-backups".
data "idcloudhost_buckets" "backups" {
  name_regex = "-backups$"
}

output "backup_buckets" {
  value = data.idcloudhost_buckets.backups.ids
}
