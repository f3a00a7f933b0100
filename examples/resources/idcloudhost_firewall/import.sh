# A firewall is identified by its uuid. In the provider's (or the account's
# default) location:
terraform import idcloudhost_firewall.example 2a874f44-310f-4df8-9340-1dc274c2bd51

# In a given location:
terraform import idcloudhost_firewall.example jkt01/2a874f44-310f-4df8-9340-1dc274c2bd51
