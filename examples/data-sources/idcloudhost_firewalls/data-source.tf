# Every firewall whose name starts with "team-".
data "idcloudhost_firewalls" "team" {
  location   = "jkt01"
  name_regex = "^team-"
}

output "team_firewalls" {
  value = { for fw in data.idcloudhost_firewalls.team.firewalls : fw.name => length(fw.rule) }
}
