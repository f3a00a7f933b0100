# Restart a VM on demand:  terraform apply -invoke=action.idcloudhost_vm_power.restart_web
data "idcloudhost_vm" "web" {
  name     = "web"
  location = "jkt01"
}

action "idcloudhost_vm_power" "restart_web" {
  config {
    vm_uuid   = data.idcloudhost_vm.web.id
    location  = "jkt01"
    operation = "restart"
    # force = true  # pull the plug if the guest ignores the shutdown signal
  }
}

# Restart a new VM right after it is created (after_create), e.g. to boot the
# kernel its cloud-init installed.
resource "idcloudhost_vm" "worker" {
  name       = "worker"
  location   = "jkt01"
  os_name    = "ubuntu"
  os_version = "24.04-lts"
  vcpu       = 1
  ram_mb     = 1024

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.idcloudhost_vm_power.restart_worker]
    }
  }
}

action "idcloudhost_vm_power" "restart_worker" {
  config {
    vm_uuid   = idcloudhost_vm.worker.id
    location  = idcloudhost_vm.worker.location
    operation = "restart"
    timeout   = "5m"
  }
}
