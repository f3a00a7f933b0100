# A VM in the provider's (or the account's default) location, by uuid:
terraform import idcloudhost_vm.web 5aea1842-895f-4bd3-8bd6-e37b2282fb46

# A VM in another location: <location>/<uuid>
terraform import idcloudhost_vm.web jkt02/5aea1842-895f-4bd3-8bd6-e37b2282fb46
