# An SSH public key stored in the account (global: not tied to a location).
resource "idcloudhost_ssh_key" "laptop" {
  name       = "laptop"
  public_key = file("~/.ssh/id_ed25519.pub")
}

# Compare with `ssh-keygen -lf ~/.ssh/id_ed25519.pub`.
output "laptop_key_fingerprint" {
  value = idcloudhost_ssh_key.laptop.fingerprint
}
