# A network is identified by its uuid. In the provider's (or the account's
# default) location:
terraform import idcloudhost_network.example 3f1c6a2e-8d4b-4c2a-9f55-0d7e1b2a4c6d

# In a given location:
terraform import idcloudhost_network.example jkt01/3f1c6a2e-8d4b-4c2a-9f55-0d7e1b2a4c6d
