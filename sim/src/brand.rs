//! The three brands, one API generation each, and what each brand's document has.
//!
//! The handlers implement the newest document (a superset); this module narrows a
//! request and its answer to one brand's document: endpoints it lacks answer the
//! live "no route" 404, request fields it does not document are not read, and
//! answers carry its field names.
//!
//! - IDCloudHost (newest): everything, including `/user-resource/ssh_keys` and
//!   repeated `public_keys` on VM create.
//! - 3nv.io (middle): no SSH keys API, a single `public_key` on VM create.
//! - elastis.id (oldest): besides the above, no firewalls, no service packages, no
//!   `config/boot_images`, no `vm/boot_iso_media` (but `vm/rescue_start`, which only
//!   it documents); disks without `display_name`, `read_only_bootable` and
//!   `storage_pool_uuid`, snapshot sizes as `sizeGb`; `cloud_init` "as JSON,
//!   currently runcmd and write_files are supported"; no `_custom` empty disk.

use std::str::FromStr;

use serde_json::{json, Value};

use crate::http::{Req, Resp};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Brand {
    #[default]
    Idcloudhost,
    ThreeNv,
    Elastis,
}

impl FromStr for Brand {
    type Err = String;

    fn from_str(s: &str) -> Result<Brand, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "idcloudhost" => Ok(Brand::Idcloudhost),
            "3nv" => Ok(Brand::ThreeNv),
            "elastis" => Ok(Brand::Elastis),
            other => Err(format!(
                "unknown brand {other:?} (idcloudhost, 3nv or elastis)"
            )),
        }
    }
}

impl Brand {
    pub fn name(self) -> &'static str {
        match self {
            Brand::Idcloudhost => "idcloudhost",
            Brand::ThreeNv => "3nv",
            Brand::Elastis => "elastis",
        }
    }

    /// The brand's S3 endpoint, as its document's "S3 API Info" example shows it.
    pub fn s3_url(self) -> &'static str {
        match self {
            Brand::Idcloudhost => "https://s3.idcloudhost.com:8080/",
            Brand::ThreeNv => "https://s3.3nv.io:8080/",
            Brand::Elastis => "https://s3.elastis.id:8080/",
        }
    }

    /// The white-label platform's `reseller` and `site` of billing accounts, as the
    /// brand's document shows them ("Billing account" examples): all three documents
    /// show the platform's own, `Warren` / `warren`.
    pub fn reseller_and_site(self) -> (&'static str, &'static str) {
        match self {
            Brand::Idcloudhost | Brand::ThreeNv | Brand::Elastis => ("Warren", "warren"),
        }
    }

    /// Whether the brand's document has the endpoint (`segs`: the path after `/v1` and
    /// the location slug).
    pub fn serves(self, segs: &[&str]) -> bool {
        let newest_only = matches!(segs, ["user-resource", "ssh_keys", ..]);
        let not_oldest = matches!(
            segs,
            ["network", "firewalls", ..]
                | ["user-resource", "service", ..]
                | ["config", "boot_images", ..]
                | ["user-resource", "vm", "boot_iso_media"]
        );
        let oldest_only = matches!(segs, ["user-resource", "vm", "rescue_start"]);
        match self {
            Brand::Idcloudhost => !oldest_only,
            Brand::ThreeNv => !newest_only && !oldest_only,
            Brand::Elastis => !newest_only && !not_oldest,
        }
    }

    /// Narrows a request to the brand's document: undocumented form fields are not
    /// read (as the live API ignores unknown fields), and what the oldest document
    /// restricts is refused the way the API refuses bad fields.
    pub fn admit(self, method: &str, segs: &[&str], rq: &mut Req) -> Result<(), Resp> {
        if self != Brand::Idcloudhost && method == "POST" && segs == ["user-resource", "vm"] {
            rq.form.retain(|(k, _)| k != "public_keys");
        }
        if self != Brand::Elastis {
            return Ok(());
        }
        if matches!(segs, ["storage", "disks", ..]) {
            rq.form
                .retain(|(k, _)| k != "display_name" && k != "read_only_bootable");
        }
        if method == "POST" && segs == ["user-resource", "vm"] {
            let os_name = rq.f_nonempty("os_name").map(str::trim);
            let from_disk =
                rq.f_nonempty("disk_uuid").is_some() || rq.f_nonempty("source_uuid").is_some();
            if os_name == Some("_custom") {
                return Err(field_error("os_name", "Unknown OS name: _custom"));
            }
            if os_name.is_none() && !from_disk {
                return Err(field_error("os_name", crate::http::MISSING));
            }
            if let Some(doc) = rq.f_nonempty("cloud_init") {
                let supported = match serde_json::from_str::<Value>(doc) {
                    Ok(Value::Object(map)) => {
                        map.keys().all(|k| k == "runcmd" || k == "write_files")
                    }
                    _ => false,
                };
                if !supported {
                    return Err(field_error(
                        "cloud_init",
                        "Expected a JSON object; only runcmd and write_files are supported.",
                    ));
                }
            }
        }
        Ok(())
    }

    /// Rewrites an answer into the brand's field names.
    pub fn present(self, segs: &[&str], body: &mut Value) {
        if matches!(segs, ["storage", "api", "s3"]) {
            body["url"] = json!(self.s3_url());
        }
        if matches!(segs, ["payment", "billing_account", ..]) {
            let (reseller, site) = self.reseller_and_site();
            let accounts: Vec<&mut Value> = match &mut *body {
                Value::Array(items) => items.iter_mut().collect(),
                other => vec![other],
            };
            for account in accounts.into_iter().filter(|a| a.get("reseller").is_some()) {
                account["reseller"] = json!(reseller);
                account["site"] = json!(site);
            }
        }
        if self == Brand::Elastis && matches!(segs, ["storage", "disks", ..]) {
            oldest_disks(body);
        }
    }
}

fn field_error(field: &str, message: &str) -> Resp {
    Resp::json(400, json!({"errors": {field: message}}))
}

/// Disks as the oldest document shows them: no `display_name`, `read_only_bootable`
/// or `storage_pool_uuid`; snapshots with `sizeGb` and no `display_name`.
fn oldest_disks(v: &mut Value) {
    match v {
        Value::Array(items) => items.iter_mut().for_each(oldest_disks),
        Value::Object(map) => {
            if map.contains_key("disk_uuid") {
                if let Some(size) = map.remove("size_gb") {
                    map.insert("sizeGb".into(), size);
                }
                map.remove("display_name");
            }
            if map.contains_key("source_image_type") {
                for key in ["display_name", "read_only_bootable", "storage_pool_uuid"] {
                    map.remove(key);
                }
            }
            map.values_mut().for_each(oldest_disks);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_brand_serves_its_document() {
        let ssh = ["user-resource", "ssh_keys"];
        let fw = ["network", "firewalls", "x"];
        let iso = ["user-resource", "vm", "boot_iso_media"];
        let rescue = ["user-resource", "vm", "rescue_start"];
        let vm = ["user-resource", "vm"];
        assert!(Brand::Idcloudhost.serves(&ssh) && !Brand::Idcloudhost.serves(&rescue));
        assert!(!Brand::ThreeNv.serves(&ssh) && Brand::ThreeNv.serves(&fw));
        assert!(Brand::ThreeNv.serves(&iso) && !Brand::ThreeNv.serves(&rescue));
        assert!(!Brand::Elastis.serves(&fw) && !Brand::Elastis.serves(&iso));
        assert!(Brand::Elastis.serves(&rescue) && Brand::Elastis.serves(&vm));
    }

    #[test]
    fn oldest_disks_use_its_field_names() {
        let mut v = json!([{"uuid": "d", "source_image_type": "EMPTY", "display_name": "x",
            "read_only_bootable": false, "storage_pool_uuid": "p", "size_gb": 10,
            "snapshots": [{"uuid": "s", "disk_uuid": "d", "size_gb": 10, "display_name": "y"}]}]);
        oldest_disks(&mut v);
        assert_eq!(
            v,
            json!([{"uuid": "d", "source_image_type": "EMPTY", "size_gb": 10,
                "snapshots": [{"uuid": "s", "disk_uuid": "d", "sizeGb": 10}]}])
        );
    }
}
