//! Block storage disks (`/v1/{slug}/storage/disks`) and their snapshots.

model! {
    /// A block storage disk.
    ///
    /// Decodes (location-specific): `POST /v1/storage/disks` (Create Disk),
    /// `GET /v1/storage/disks/{uuid}` (Get Disk), `GET /v1/storage/disks` (List Disks, an array)
    /// and `PATCH /v1/storage/disks/{uuid}` (Modify Disk Info). Delete answers 204.
    /// Attaching a disk to a VM answers a [`super::vm::VmStorage`].
    ///
    /// `status` is capitalised (`Active`). Document 001 has neither `display_name` nor
    /// `storage_pool_uuid`; `read_only_bootable` is documented as an attribute (000, 002) but shown
    /// in no example.
    pub struct Disk {
        pub uuid: String,
        /// `Active` (capitalised).
        pub status: String,
        /// Absent when the disk has no name (and always in document 001).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub display_name: Option<String>,
        pub user_id: i64,
        pub billing_account_id: i64,
        /// Size in GiB.
        #[serde(alias = "sizeGb")]
        pub size_gb: i64,
        /// `EMPTY`, `OS_BASE`, `DISK` or `SNAPSHOT`.
        pub source_image_type: String,
        /// e.g. `ubuntu_20.04` for `OS_BASE`, a uuid for `DISK` / `SNAPSHOT`; absent for `EMPTY`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub source_image: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub storage_pool_uuid: Option<String>,
        /// Whether the disk is usable as read-only boot media (`boot_iso_media` with
        /// `boot_image_repository=private`). Not shown in any document example.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub read_only_bootable: Option<bool>,
        pub created_at: String,
        pub updated_at: String,
        /// Absent in the Create / Modify examples.
        pub snapshots: Vec<DiskSnapshot>,
    }
}

impl Disk {
    /// Status compared case-insensitively (`Active`).
    pub fn is_active(&self) -> bool {
        self.status.eq_ignore_ascii_case("active")
    }
}

model! {
    /// A snapshot of a [`Disk`] (`snapshots[]`). The size is `size_gb` in documents 000/002 and
    /// `sizeGb` in document 001; both are accepted.
    pub struct DiskSnapshot {
        pub uuid: String,
        /// Size in GiB (`size_gb`, or `sizeGb` in document 001).
        #[serde(alias = "sizeGb")]
        pub size_gb: i64,
        /// Absent when the snapshot has no name (and always in document 001).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub display_name: Option<String>,
        pub disk_uuid: String,
        pub created_at: String,
    }
}
