//! Virtual machines, their attached storage and storage replicas (snapshots / backups).

use serde::{Deserialize, Serialize};

use super::de;

/// A virtual machine.
///
/// Decodes (all location-specific, under `/v1/{slug}/user-resource/`):
/// `GET vm?uuid=` (Get VM Info), `POST vm` (Create VM), `PATCH vm` (Modify VM),
/// `GET vm/list` (List VMs, an array), `POST vm/reinstall`, `POST vm/backup` (Toggle Auto
/// Backup), `POST vm/clone`, `POST|DELETE vm/ip/public` (Reserve / Release Public IP),
/// `POST vm/rebuild` (Rebuild from Replica), `POST vm/stop`, and
/// `GET billing_resources?id=` (an array; the only document example with `public_ipv4`).
///
/// Live payloads have no `id`, no `tags` and no `public_ipv4` key, and no `public_ipv6` key when
/// the VM was created with `reserve_public_ip=false`; the public IPv4 must be looked up in the
/// floating IP list (`assigned_to` = VM uuid). The password is never returned.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct Vm {
    #[serde(deserialize_with = "de::string")]
    pub uuid: String,
    /// Numeric id: in most document examples, absent from live payloads and from the document
    /// examples of Modify VM and Reinstall VM.
    #[serde(
        deserialize_with = "de::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<i64>,
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    #[serde(deserialize_with = "de::string")]
    pub hostname: String,
    #[serde(deserialize_with = "de::string")]
    pub description: String,
    /// `running` or `stopped` (only these were seen live).
    #[serde(deserialize_with = "de::string")]
    pub status: String,
    #[serde(deserialize_with = "de::string")]
    pub os_name: String,
    #[serde(deserialize_with = "de::string")]
    pub os_version: String,
    #[serde(deserialize_with = "de::string")]
    pub username: String,
    #[serde(deserialize_with = "de::int")]
    pub vcpu: i64,
    /// RAM in MiB (the create/modify parameter is called `ram`).
    #[serde(deserialize_with = "de::int")]
    pub memory: i64,
    /// Whether automatic backups are on (`POST vm/backup` toggles it).
    #[serde(deserialize_with = "de::bool")]
    pub backup: bool,
    /// Billing account id.
    #[serde(deserialize_with = "de::int")]
    pub billing_account: i64,
    #[serde(deserialize_with = "de::int")]
    pub user_id: i64,
    #[serde(deserialize_with = "de::string")]
    pub mac: String,
    /// Private address on the VM's network; `""` in some examples.
    #[serde(deserialize_with = "de::string")]
    pub private_ipv4: String,
    /// Only in the billing_resources example (sometimes `null`); never sent live.
    #[serde(
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub public_ipv4: Option<String>,
    /// Absent when the VM has no public address (e.g. `reserve_public_ip=false`).
    #[serde(
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub public_ipv6: Option<String>,
    /// Host pool; only in the Get VM Info and Create VM examples.
    #[serde(deserialize_with = "de::string")]
    pub designated_pool_uuid: String,
    #[serde(deserialize_with = "de::string")]
    pub designated_pool_name: String,
    /// e.g. `WINDOWS`; only in document 000's Get VM Info example.
    #[serde(
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub license_type: Option<String>,
    /// Only in the billing_resources example, always `null` there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hypervisor_id: Option<serde_json::Value>,
    /// `null` in the documents; absent live. Shape unknown, kept opaque.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<serde_json::Value>,
    #[serde(deserialize_with = "de::string")]
    pub created_at: String,
    #[serde(deserialize_with = "de::string")]
    pub updated_at: String,
    #[serde(deserialize_with = "de::null_as_default")]
    pub storage: Vec<VmStorage>,
}

impl Vm {
    /// The boot disk (`primary: true`), or the first disk if none is marked primary.
    pub fn primary_storage(&self) -> Option<&VmStorage> {
        self.storage
            .iter()
            .find(|s| s.primary)
            .or_else(|| self.storage.first())
    }

    /// Disks other than the boot disk.
    pub fn secondary_storage(&self) -> impl Iterator<Item = &VmStorage> {
        let primary = self.primary_storage().map(|s| s.uuid.clone());
        self.storage
            .iter()
            .filter(move |s| Some(&s.uuid) != primary.as_ref())
    }

    /// Status compared case-insensitively.
    pub fn is_running(&self) -> bool {
        self.status.eq_ignore_ascii_case("running")
    }

    /// Status compared case-insensitively.
    pub fn is_stopped(&self) -> bool {
        self.status.eq_ignore_ascii_case("stopped")
    }

    /// `public_ipv6`, treating `""` as absent.
    pub fn public_ipv6(&self) -> Option<&str> {
        self.public_ipv6.as_deref().filter(|s| !s.is_empty())
    }

    /// `public_ipv4`, treating `""` as absent (live payloads never have it).
    pub fn public_ipv4(&self) -> Option<&str> {
        self.public_ipv4.as_deref().filter(|s| !s.is_empty())
    }

    /// `private_ipv4`, treating `""` as absent.
    pub fn private_ipv4(&self) -> Option<&str> {
        Some(self.private_ipv4.as_str()).filter(|s| !s.is_empty())
    }
}

/// A disk attached to a VM (`storage[]` of [`Vm`]).
///
/// Also decodes the single-disk responses of `POST vm/storage` (Add Disk), `PATCH vm/storage`
/// (Modify Disk), `POST vm/storage/attach` (Attach Disk; only `created_at`, `name`, `primary`,
/// `replica`, `size`, `user_id`, `uuid`) and `POST vm/replica` (Create Replica, which returns the
/// disk with its new replica in `replica[]`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct VmStorage {
    /// The disk uuid; for the boot disk it often equals the VM uuid in the documents.
    #[serde(deserialize_with = "de::string")]
    pub uuid: String,
    #[serde(
        deserialize_with = "de::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<i64>,
    /// Device name: `sda`/`vda` for the boot disk, `vdb`, `vdc`, ... for extra disks.
    #[serde(deserialize_with = "de::string")]
    pub name: String,
    /// Storage pool name (`default2`, `default`, or `n/a`).
    #[serde(deserialize_with = "de::string")]
    pub pool: String,
    /// `true` for the boot disk.
    #[serde(deserialize_with = "de::bool")]
    pub primary: bool,
    #[serde(deserialize_with = "de::bool")]
    pub shared: bool,
    /// Size in GiB.
    #[serde(deserialize_with = "de::int")]
    pub size: i64,
    /// `block` (or `n/a`).
    #[serde(rename = "type", deserialize_with = "de::string")]
    pub r#type: String,
    #[serde(deserialize_with = "de::int")]
    pub user_id: i64,
    /// Only in the billing_resources example, always `null` there.
    #[serde(
        deserialize_with = "de::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub public_ipv4: Option<String>,
    #[serde(deserialize_with = "de::string")]
    pub created_at: String,
    #[serde(deserialize_with = "de::string")]
    pub updated_at: String,
    #[serde(deserialize_with = "de::null_as_default")]
    pub replica: Vec<Replica>,
}

/// A snapshot or backup of a VM disk (`replica[]` of [`VmStorage`]).
///
/// Also decodes `GET /v1/{slug}/user-resource/vm/replica?uuid=` (List Replicas, an array; the
/// documents only show `[]`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct Replica {
    /// Not a UUID: the documents show the disk uuid with a timestamp appended
    /// (`5aea1842-...-e37b2282fb462018-12-21-14-05-33`). Pass it back verbatim as `replica_uuid`.
    #[serde(deserialize_with = "de::string")]
    pub uuid: String,
    #[serde(
        deserialize_with = "de::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<i64>,
    #[serde(
        deserialize_with = "de::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub master_id: Option<i64>,
    /// Uuid of the disk this replica belongs to.
    #[serde(deserialize_with = "de::string")]
    pub master_uuid: String,
    #[serde(deserialize_with = "de::string")]
    pub pool: String,
    /// Size in GiB (`sizeGb` in the oldest generation's snapshot payloads).
    #[serde(alias = "sizeGb", deserialize_with = "de::int")]
    pub size: i64,
    /// `snapshot` or `backup`.
    #[serde(rename = "type", deserialize_with = "de::string")]
    pub r#type: String,
    #[serde(deserialize_with = "de::string")]
    pub created_at: String,
    #[serde(deserialize_with = "de::string")]
    pub updated_at: String,
}
