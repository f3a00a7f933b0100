# A disk in the provider's (or the account's default) location, by uuid:
terraform import idcloudhost_disk.example 05a61876-86f3-4b05-b0ec-53ee6fa03ced

# A disk in a given location:
terraform import idcloudhost_disk.example jkt02/05a61876-86f3-4b05-b0ec-53ee6fa03ced
