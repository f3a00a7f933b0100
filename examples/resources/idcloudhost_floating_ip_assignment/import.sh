# An assignment is identified by the assigned address, in a given location:
terraform import idcloudhost_floating_ip_assignment.example jkt01/203.0.113.10

# or in the provider's (or the account's default) location:
terraform import idcloudhost_floating_ip_assignment.example 203.0.113.10
