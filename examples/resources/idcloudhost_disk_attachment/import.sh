# <vm_uuid>/<disk_uuid>, in the provider's (or the account's default) location:
terraform import idcloudhost_disk_attachment.example 5052bf02-044a-4d35-a803-d6b156f84beb/3d91aa31-16ec-44ee-b8b3-22a0bda6559e

# <location>/<vm_uuid>/<disk_uuid>:
terraform import idcloudhost_disk_attachment.example jkt01/5052bf02-044a-4d35-a803-d6b156f84beb/3d91aa31-16ec-44ee-b8b3-22a0bda6559e
