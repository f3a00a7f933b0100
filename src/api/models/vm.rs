//! Virtual machines, their attached storage and storage replicas (snapshots / backups).

model! {
    /// A virtual machine.
    ///
    /// Decodes (all location-specific, under `/v1/{slug}/user-resource/`):
    /// `GET vm?uuid=` (Get VM Info), `POST vm` (Create VM), `PATCH vm` (Modify VM),
    /// `GET vm/list` (List VMs, an array), `POST vm/reinstall`, `POST vm/backup` (Toggle Auto
    /// Backup), `POST vm/clone`, `POST|DELETE vm/ip/public` (Reserve / Release Public IP),
    /// `POST vm/rebuild` (Rebuild from Replica), `POST vm/stop`, and
    /// `GET billing_resources?id=` (an array; the only document example with `public_ipv4`).
    ///
    /// Live payloads have no `id`, no `tags` and no `public_ipv4` key, and no `public_ipv6` key
    /// when the VM was created with `reserve_public_ip=false`; the public IPv4 must be looked up in
    /// the floating IP list (`assigned_to` = VM uuid). The password is never returned.
    pub struct Vm {
        pub uuid: String,
        /// Numeric id: in most document examples, absent from live payloads and from the document
        /// examples of Modify VM and Reinstall VM.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub id: Option<i64>,
        pub name: String,
        pub hostname: String,
        pub description: String,
        /// `running` or `stopped` (only these were seen live).
        pub status: String,
        pub os_name: String,
        pub os_version: String,
        pub username: String,
        pub vcpu: i64,
        /// RAM in MiB (the create/modify parameter is called `ram`).
        pub memory: i64,
        /// Whether automatic backups are on (`POST vm/backup` toggles it).
        pub backup: bool,
        /// Billing account id.
        pub billing_account: i64,
        pub user_id: i64,
        pub mac: String,
        /// Private address on the VM's network; `""` in some examples.
        pub private_ipv4: String,
        /// Only in the billing_resources example (sometimes `null`); never sent live.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub public_ipv4: Option<String>,
        /// Absent when the VM has no public address (e.g. `reserve_public_ip=false`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub public_ipv6: Option<String>,
        /// Host pool; only in the Get VM Info and Create VM examples.
        pub designated_pool_uuid: String,
        pub designated_pool_name: String,
        /// e.g. `WINDOWS`; only in document 000's Get VM Info example.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub license_type: Option<String>,
        /// Only in the billing_resources example, always `null` there.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub hypervisor_id: Option<serde_json::Value>,
        /// `null` in the documents; absent live. Shape unknown, kept opaque.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub tags: Option<serde_json::Value>,
        pub created_at: String,
        pub updated_at: String,
        pub storage: Vec<VmStorage>,
    }
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

model! {
    /// A disk attached to a VM (`storage[]` of [`Vm`]).
    ///
    /// Also decodes the single-disk responses of `POST vm/storage` (Add Disk), `PATCH vm/storage`
    /// (Modify Disk), `POST vm/storage/attach` (Attach Disk; only `created_at`, `name`, `primary`,
    /// `replica`, `size`, `user_id`, `uuid`) and `POST vm/replica` (Create Replica, which returns
    /// the disk with its new replica in `replica[]`).
    pub struct VmStorage {
        /// The disk uuid; for the boot disk it often equals the VM uuid in the documents.
        pub uuid: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub id: Option<i64>,
        /// Device name: `sda`/`vda` for the boot disk, `vdb`, `vdc`, ... for extra disks.
        pub name: String,
        /// Storage pool name (`default2`, `default`, or `n/a`).
        pub pool: String,
        /// `true` for the boot disk.
        pub primary: bool,
        pub shared: bool,
        /// Size in GiB.
        pub size: i64,
        /// `block` (or `n/a`).
        #[serde(rename = "type")]
        pub r#type: String,
        pub user_id: i64,
        /// Only in the billing_resources example, always `null` there.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub public_ipv4: Option<String>,
        pub created_at: String,
        pub updated_at: String,
        pub replica: Vec<Replica>,
    }
}

model! {
    /// A snapshot or backup of a VM disk (`replica[]` of [`VmStorage`]).
    ///
    /// Also decodes `GET /v1/{slug}/user-resource/vm/replica?uuid=` (List Replicas, an array; the
    /// documents only show `[]`).
    pub struct Replica {
        /// Not a UUID: the documents show the disk uuid with a timestamp appended
        /// (`5aea1842-...-e37b2282fb462018-12-21-14-05-33`). Pass it back verbatim as
        /// `replica_uuid`.
        pub uuid: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub id: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub master_id: Option<i64>,
        /// Uuid of the disk this replica belongs to.
        pub master_uuid: String,
        pub pool: String,
        /// Size in GiB (`sizeGb` in the oldest generation's snapshot payloads).
        #[serde(alias = "sizeGb")]
        pub size: i64,
        /// `snapshot` or `backup`.
        #[serde(rename = "type")]
        pub r#type: String,
        pub created_at: String,
        pub updated_at: String,
    }
}
