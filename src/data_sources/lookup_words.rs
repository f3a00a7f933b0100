//! What the lookup data sources (`idcloudhost_vm`, `idcloudhost_vms`...) say of
//! the attributes they export, in their own words: a lookup reads an existing
//! object, so its words tell what a value is, not how to set it or how a change
//! of it is planned (the resource's description does that).
//!
//! An attribute whose resource declares `Attr::read_desc` takes that instead. A
//! new exported attribute needs one or the other: the unit test
//! `every_exported_attribute_has_written_words` (`lookup.rs`) fails until then.

/// `(resource type, attribute or block, description)`.
pub(crate) const WORDS: &[(&str, &str, &str)] = &[
    // idcloudhost_vm
    ("vm", "id", "The VM's uuid."),
    ("vm", "location", "Location slug (e.g. `jkt01`)."),
    ("vm", "name", "Name of the VM."),
    ("vm", "disk_size_gb", "Boot disk size in GB."),
    ("vm", "vcpu", "Number of virtual CPUs."),
    ("vm", "ram_mb", "Memory in MB."),
    ("vm", "username", "Login user created on the VM."),
    ("vm", "network_uuid", "Private network of the VM."),
    ("vm", "designated_pool_uuid", "Host pool (server class) of the VM."),
    ("vm", "billing_account_id", "Billing account charged for the resource."),
    ("vm", "description", "Description given when the VM was created (the API cannot change it)."),
    ("vm", "backup", "Automatic backups."),
    ("vm", "power_state", "`running` or `stopped`."),
    ("vm", "status", "Status reported by the API (`running` or `stopped`)."),
    ("vm", "hostname", "Hostname."),
    ("vm", "mac", "MAC address."),
    ("vm", "private_ipv4", "Address in the private network."),
    ("vm", "public_ipv4", "Public IPv4 address: the floating IP assigned to the VM."),
    ("vm", "public_ipv6", "Public IPv6 address."),
    ("vm", "boot_disk_uuid", "Uuid of the boot disk."),
    ("vm", "designated_pool_name", "Name of the host pool."),
    ("vm", "created_at", "When the resource was created, as the API reports it."),
    ("vm", "estimated_monthly_cost", "`estimated_hourly_cost` × 730 hours, rounded to 2 decimal places; null when `estimated_hourly_cost` is."),
    // idcloudhost_network
    ("network", "id", "The network's uuid."),
    ("network", "location", "Location slug (e.g. `jkt01`)."),
    ("network", "name", "Name of the network."),
    ("network", "subnet", "IPv4 subnet (CIDR) chosen by the platform."),
    ("network", "subnet_ipv6", "IPv6 subnet, when the platform assigns one."),
    ("network", "vlan_id", "VLAN id; null when the API does not report one."),
    ("network", "vm_uuids", "VMs in this network."),
    ("network", "resources_count", "Number of resources in the network."),
    ("network", "created_at", "When the resource was created, as the API reports it."),
    // idcloudhost_floating_ip
    ("floating_ip", "id", "The IPv4 address (floating IPs are identified by their address)."),
    ("floating_ip", "location", "Location slug (e.g. `jkt01`)."),
    ("floating_ip", "name", "Name of the floating IP."),
    ("floating_ip", "billing_account_id", "Billing account charged for the resource."),
    ("floating_ip", "address", "The reserved IPv4 address, chosen by the platform."),
    ("floating_ip", "enabled", "Whether the address is enabled."),
    ("floating_ip", "assigned_to", "Uuid of the resource (VM, load balancer or managed service) the address is assigned to; null when unassigned."),
    ("floating_ip", "assigned_to_resource_type", "`virtual_machine`, `load_balancer` or `service`; null when unassigned."),
    ("floating_ip", "assigned_to_private_ip", "Private address the floating IP is mapped to; null when unassigned."),
    ("floating_ip", "created_at", "When the resource was created, as the API reports it."),
    // idcloudhost_disk
    ("disk", "id", "The disk's uuid."),
    ("disk", "location", "Location slug (e.g. `jkt01`)."),
    ("disk", "name", "Descriptive name of the disk (the API's `display_name`); elastis.id has none."),
    ("disk", "size_gb", "Size in GiB."),
    ("disk", "billing_account_id", "Billing account charged for the resource."),
    ("disk", "source_image_type", "What the disk started as: `EMPTY`, `OS_BASE` (an OS image), `DISK` (a copy of another disk) or `SNAPSHOT` (a copy of a disk snapshot)."),
    ("disk", "source_image", "What the disk was copied from: an OS image such as `ubuntu_22.04-lts` for `OS_BASE`, a disk uuid for `DISK`, a snapshot uuid for `SNAPSHOT`."),
    ("disk", "status", "Status as the API reports it (`Active`)."),
    ("disk", "storage_pool_uuid", "Storage pool holding the disk; null when the API does not report one."),
    ("disk", "created_at", "When the resource was created, as the API reports it."),
    ("disk", "attached_to", "Uuid of the VM the disk is attached to (found in the VMs' storage lists); null when detached."),
    ("disk", "snapshots", "Snapshots of the disk: `uuid`, `name` (null when unnamed), `size_gb`, `created_at`."),
    ("disk", "estimated_monthly_cost", "`estimated_hourly_cost` × 730 hours, rounded to 2 decimal places; null when `estimated_hourly_cost` is."),
    // idcloudhost_firewall
    ("firewall", "id", "The firewall's uuid."),
    ("firewall", "location", "Location slug (e.g. `jkt01`)."),
    ("firewall", "name", "Name of the firewall."),
    ("firewall", "description", "Free-text description."),
    ("firewall", "billing_account_id", "Billing account charged for the resource."),
    ("firewall", "created_at", "When the resource was created, as the API reports it."),
    ("firewall", "rule", "The firewall's traffic rules, in no particular order (every rule is evaluated)."),
    // idcloudhost_load_balancer
    ("load_balancer", "id", "The load balancer's uuid."),
    ("load_balancer", "location", "Location slug (e.g. `jkt01`)."),
    ("load_balancer", "name", "Name of the load balancer (the API's `display_name`)."),
    ("load_balancer", "billing_account_id", "Billing account charged for the resource."),
    ("load_balancer", "network_uuid", "Private network the load balancer and its targets are in."),
    ("load_balancer", "private_address", "Address of the load balancer on its private network."),
    ("load_balancer", "public_address", "Public IPv4 address (the floating IP assigned to the load balancer); null without one."),
    ("load_balancer", "created_at", "When the resource was created, as the API reports it."),
    ("load_balancer", "forwarding_rule", "The TCP port forwarding rules."),
    ("load_balancer", "target", "The backends of the load balancer."),
    // idcloudhost_ssh_key
    ("ssh_key", "id", "The key's uuid."),
    ("ssh_key", "name", "Name of the key (unique in the account)."),
    ("ssh_key", "public_key", "The OpenSSH public key line (`<type> <base64> [comment]`, e.g. the contents of `id_ed25519.pub`)."),
    ("ssh_key", "fingerprint", "SHA-256 fingerprint as `ssh-keygen -l` prints it (`SHA256:…`), computed by the provider."),
    ("ssh_key", "created_at", "When the resource was created, as the API reports it."),
    // idcloudhost_service_package
    ("service_package", "id", "The package's uuid."),
    ("service_package", "location", "Location slug the package runs in (the API's `package_parameters.location`)."),
    ("service_package", "name", "Display name of the package."),
    ("service_package", "billing_account_id", "Billing account charged for the resource."),
    ("service_package", "service", "Database engine: `postgresql` (the only one the API offers)."),
    ("service_package", "version", "Engine version offered for `service`: `14.0` for `postgresql`."),
    ("service_package", "vcpu", "vCPUs per node."),
    ("service_package", "ram_mb", "RAM per node in MiB."),
    ("service_package", "disk_size_gb", "Disk size per node in GB."),
    ("service_package", "allowed_addresses", "Addresses and CIDR prefixes allowed to connect (the whitelist); an empty whitelist allows every address."),
    ("service_package", "status", "`active` while the package exists."),
    ("service_package", "service_ip", "Address of the service on the account's default network."),
    ("service_package", "port", "TCP port of the service (5432 for PostgreSQL)."),
    ("service_package", "sql_user", "Database administrator user."),
    ("service_package", "created_at", "When the resource was created, as the API reports it."),
    ("service_package", "resources", "What the package runs on: VMs and, for multi-node packages, a virtual IP."),
    // idcloudhost_bucket
    ("bucket", "id", "The bucket's name."),
    ("bucket", "name", "Bucket name, unique across all accounts."),
    ("bucket", "billing_account_id", "Billing account charged for the resource."),
    ("bucket", "size_bytes", "Total size of the bucket's objects in bytes, as last read."),
    ("bucket", "num_objects", "Number of objects in the bucket, as last read."),
    ("bucket", "is_suspended", "Whether the bucket is suspended."),
    ("bucket", "created_at", "When the resource was created, as the API reports it."),
    ("bucket", "modified_at", "When the bucket was last modified, as the API reports it."),
    ("bucket", "estimated_monthly_cost", "`estimated_hourly_cost` × 730 hours, rounded to 2 decimal places; null when `estimated_hourly_cost` is."),
];

/// The lookups' words for `attr` of resource type `resource`, if written here.
pub(crate) fn written(resource: &str, attr: &str) -> Option<&'static str> {
    WORDS
        .iter()
        .find(|(r, a, _)| *r == resource && *a == attr)
        .map(|(_, _, words)| *words)
}
