# A floating IP is identified by its address. In the provider's (or the
# account's default) location:
terraform import idcloudhost_floating_ip.example 203.0.113.10

# In a given location:
terraform import idcloudhost_floating_ip.example jkt01/203.0.113.10
