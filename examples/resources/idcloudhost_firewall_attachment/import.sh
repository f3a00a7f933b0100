# An attachment is identified by <location>/<firewall_uuid>/<vm_uuid>:
terraform import idcloudhost_firewall_attachment.example jkt01/2a874f44-310f-4df8-9340-1dc274c2bd51/ff4b3c1b-998a-48a5-9bf4-5777ee2ae9db

# or, in the provider's (or the account's default) location, <firewall_uuid>/<vm_uuid>:
terraform import idcloudhost_firewall_attachment.example 2a874f44-310f-4df8-9340-1dc274c2bd51/ff4b3c1b-998a-48a5-9bf4-5777ee2ae9db
