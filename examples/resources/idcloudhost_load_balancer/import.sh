# A load balancer is identified by its uuid. In the provider's (or the account's
# default) location:
terraform import idcloudhost_load_balancer.example 438ac62f-e97b-4ef0-8940-507b9e94af43

# In a given location:
terraform import idcloudhost_load_balancer.example jkt01/438ac62f-e97b-4ef0-8940-507b9e94af43
