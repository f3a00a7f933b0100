//! Catalogue data: locations, VM images, boot images, VM parameters, host pools.

use serde_json::{json, Value};

use super::{global, located, Route};
use crate::http::{ok, Req, Resp};
use crate::state::SimState;

pub fn route(method: &str, segs: &[&str]) -> Option<Route> {
    match (method, segs) {
        ("GET", ["config", "locations"]) => global(|st, _| ok(locations(&st.extra_locations))),
        ("GET", ["config", "vm_images"]) => global(|_, _| ok(vm_images(None))),
        ("GET", ["config", "vm_images", "plain_os"]) => global(|_, _| ok(vm_images(Some(false)))),
        ("GET", ["config", "vm_images", "app_catalog"]) => global(|_, _| ok(vm_images(Some(true)))),
        ("GET", ["config", "boot_images"]) => global(|_, _| ok(boot_images())),
        ("GET", ["api", "parameters", "vm"]) => global(|_, _| ok(vm_parameters())),
        ("GET", ["user-resource", "host_pool", "list"]) => located(host_pool_list),
        _ => None,
    }
}

/// The documents' locations, then `extra` ones (`SimConfig::extra_locations`).
pub fn locations(extra: &[String]) -> Value {
    let mut list = documented_locations();
    if let Value::Array(items) = &mut list {
        for (i, slug) in extra.iter().enumerate() {
            items.push(json!({
                "display_name": format!("Extra {slug}"),
                "is_default": false,
                "is_preferred": false,
                "description": "A location added with --extra-location",
                "order_nr": 4 + i,
                "slug": slug,
                "country_code": "idn"
            }));
        }
    }
    list
}

fn documented_locations() -> Value {
    json!([
        {
            "display_name": "Jakarta 1",
            "is_default": true,
            "is_preferred": false,
            "description": "Jakarta data centre (DCI Cibitung)",
            "order_nr": 1,
            "slug": "jkt01",
            "country_code": "idn"
        },
        {
            "display_name": "Jakarta 2",
            "is_default": false,
            "is_preferred": true,
            "description": "Jakarta data centre (NextDC Cyber)",
            "order_nr": 2,
            "slug": "jkt02",
            "country_code": "idn"
        },
        {
            "display_name": "Singapore",
            "is_default": false,
            "is_preferred": false,
            "description": "Singapore data centre",
            "order_nr": 3,
            "slug": "sgp01",
            "country_code": "sgp"
        }
    ])
}

/// One catalogue image: (os_name, display name, is_app_catalog, is_default, versions).
pub struct Image {
    pub os_name: &'static str,
    pub display_name: &'static str,
    pub app: bool,
    pub is_default: bool,
    /// (os_version, display name, published)
    pub versions: &'static [(&'static str, &'static str, bool)],
}

pub const IMAGES: &[Image] = &[
    Image {
        os_name: "ubuntu",
        display_name: "Ubuntu",
        app: false,
        is_default: true,
        versions: &[
            ("16.04", "16.04", false),
            ("18.04", "18.04 LTS", false),
            ("20.04-lts", "20.04 LTS", true),
            ("22.04-lts", "22.04 LTS", true),
            ("24.04-lts", "24.04 LTS", true),
        ],
    },
    Image {
        os_name: "debian",
        display_name: "Debian",
        app: false,
        is_default: false,
        versions: &[
            ("10", "10 (buster)", false),
            ("11", "11 (bullseye)", true),
            ("12", "12 (bookworm)", true),
        ],
    },
    Image {
        os_name: "almalinux",
        display_name: "AlmaLinux",
        app: false,
        is_default: false,
        versions: &[("8", "8", true), ("9", "9", true)],
    },
    Image {
        os_name: "rocky",
        display_name: "Rocky Linux",
        app: false,
        is_default: false,
        versions: &[("8", "8", true), ("9", "9", true)],
    },
    Image {
        os_name: "centos",
        display_name: "CentOS",
        app: false,
        is_default: false,
        versions: &[
            ("7.3.1611", "7.3.1611", false),
            ("7.9", "7.9", true),
            ("8-stream", "8 Stream", false),
            ("9-stream", "9 Stream", true),
        ],
    },
    Image {
        os_name: "windows",
        display_name: "Windows Server",
        app: false,
        is_default: false,
        versions: &[
            ("2016", "2016 Standard", false),
            ("2019", "2019 Standard", true),
            ("2022", "2022 Standard", true),
        ],
    },
    Image {
        os_name: "fedora",
        display_name: "Fedora",
        app: false,
        is_default: false,
        versions: &[("39", "39", false), ("40", "40", true), ("41", "41", true)],
    },
    Image {
        os_name: "opensuse",
        display_name: "openSUSE Leap",
        app: false,
        is_default: false,
        versions: &[("15.5", "15.5", true), ("15.6", "15.6", true)],
    },
    Image {
        os_name: "wordpress",
        display_name: "WordPress",
        app: true,
        is_default: false,
        versions: &[
            ("6.4", "6.4 on Ubuntu 22.04", false),
            ("6.6", "6.6 on Ubuntu 22.04", true),
        ],
    },
    Image {
        os_name: "docker",
        display_name: "Docker",
        app: true,
        is_default: false,
        versions: &[
            ("26.1", "26.1 on Ubuntu 22.04", true),
            ("27.3", "27.3 on Ubuntu 24.04", true),
        ],
    },
    Image {
        os_name: "lamp",
        display_name: "LAMP Stack",
        app: true,
        is_default: false,
        versions: &[
            ("php8.1", "PHP 8.1 on Ubuntu 22.04", true),
            ("php8.3", "PHP 8.3 on Ubuntu 24.04", true),
        ],
    },
];

/// Look up a published catalogue image version. Returns Err with a reason.
pub fn find_image(os_name: &str, os_version: &str) -> Result<&'static Image, String> {
    let img = IMAGES
        .iter()
        .find(|i| i.os_name == os_name)
        .ok_or_else(|| format!("Unknown OS name: {os_name}"))?;
    match img.versions.iter().find(|v| v.0 == os_version) {
        Some((_, _, true)) => Ok(img),
        Some((_, _, false)) => Err(format!(
            "OS version {os_version} of {os_name} is not available"
        )),
        None => Err(format!("Unknown OS version {os_version} for {os_name}")),
    }
}

/// Default (newest published) version of an image.
pub fn default_version(img: &Image) -> Option<&'static str> {
    img.versions.iter().rev().find(|v| v.2).map(|v| v.0)
}

fn vm_images(app_filter: Option<bool>) -> Value {
    let mut out = Vec::new();
    let mut pos = 0;
    for img in IMAGES {
        pos += 1;
        if let Some(app) = app_filter {
            if img.app != app {
                continue;
            }
        }
        let versions: Vec<Value> = img
            .versions
            .iter()
            .map(|(v, d, p)| json!({"os_version": v, "display_name": d, "published": p}))
            .collect();
        out.push(json!({
            "os_name": img.os_name,
            "display_name": img.display_name,
            "ui_position": pos,
            "is_default": img.is_default,
            "is_app_catalog": img.app,
            "icon": format!("https://api.idcloudhost.com/images/os/{}.svg", img.os_name),
            "versions": versions,
        }));
    }
    Value::Array(out)
}

/// Platform boot media: (uuid, image_name, is_installation_media, description, is_published)
pub const BOOT_IMAGES: &[(&str, &str, bool, &str, bool)] = &[
    (
        "e3a5f2d6-7d15-41f0-85ba-047bcbc1cb26",
        "systemrescue-12.x-amd64.iso",
        false,
        "SystemRescue 12",
        true,
    ),
    (
        "5b0f7c52-4a8e-4d0c-9d55-2a61b0c3e7a1",
        "systemrescue-9.06-amd64.iso",
        false,
        "SystemRescue 9 (legacy)",
        false,
    ),
    (
        "9c1d2e4f-6a7b-4c8d-9e0f-1a2b3c4d5e6f",
        "ubuntu-24.04.1-live-server-amd64.iso",
        true,
        "Ubuntu Server 24.04 installer",
        true,
    ),
    (
        "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
        "debian-12.7.0-amd64-netinst.iso",
        true,
        "Debian 12 network installer",
        true,
    ),
    (
        "7a6b5c4d-3e2f-4109-a8b7-c6d5e4f3a2b1",
        "AlmaLinux-9.4-x86_64-boot.iso",
        true,
        "AlmaLinux 9 boot installer",
        true,
    ),
    (
        "2c3d4e5f-6071-4829-93a4-b5c6d7e8f901",
        "Win2022_Eval_x64.iso",
        true,
        "Windows Server 2022 evaluation installer",
        false,
    ),
];

fn boot_images() -> Value {
    Value::Array(
        BOOT_IMAGES
            .iter()
            .map(|(u, n, inst, d, p)| {
                json!({
                    "uuid": u,
                    "image_name": n,
                    "is_installation_media": inst,
                    "description": d,
                    "is_published": p,
                })
            })
            .collect(),
    )
}

pub const PUBLIC_KEY_REGEX: &str =
    r"^(ssh-(rsa|dsa|ecdsa|ed25519)|ecdsa-sha2-nistp[0-9]+) [A-Za-z0-9+/]+[=]{0,3}(\s.*)?$";

fn vm_parameters() -> Value {
    let plain: Vec<&Image> = IMAGES.iter().collect();
    let names: Vec<&str> = plain.iter().map(|i| i.os_name).collect();
    let limits: Vec<Value> = plain
        .iter()
        .map(|i| {
            let vs: Vec<&str> = i.versions.iter().filter(|v| v.2).map(|v| v.0).collect();
            json!({"os_name": i.os_name, "values": vs})
        })
        .collect();
    json!([
        {
            "constraint": "range",
            "description": "Size of main storage in gigabytes.",
            "mandatory": true,
            "max": 240,
            "min": 20,
            "parameter": "disks",
            "type": "integer"
        },
        {
            "description": "Name of the VM",
            "mandatory": true,
            "parameter": "name",
            "type": "string"
        },
        {
            "constraint": "enum",
            "description": "OS name of VM base image.",
            "mandatory": false,
            "parameter": "os_name",
            "type": "string",
            "values": names
        },
        {
            "constraint": "enum",
            "description": "OS version of VM base image.",
            "limited_by": "os_name",
            "limits": limits,
            "mandatory": false,
            "parameter": "os_version",
            "type": "string"
        },
        {
            "constraint": "regexp",
            "description": "Password for logging in to the VM.",
            "expression": "^(?=.*[a-z])(?=.*[A-Z])(?=.*\\d).{8,}$",
            "mandatory": false,
            "parameter": "password",
            "type": "string"
        },
        {
            "constraint": "regexp",
            "description": "OpenSSH public key line for logging in to the VM.",
            "expression": PUBLIC_KEY_REGEX,
            "mandatory": false,
            "parameter": "public_key",
            "type": "string"
        },
        {
            "constraint": "range",
            "description": "Amount of RAM.",
            "limited_by": "os_name",
            "limits": [{"min": 1024, "os_name": "windows"}],
            "mandatory": true,
            "max": 65536,
            "min": 512,
            "parameter": "ram",
            "type": "integer"
        },
        {
            "constraint": "regexp",
            "description": "Username for logging in to the VM.",
            "expression": "^(?=.{1,30}$)[a-zA-Z_][0-9a-zA-Z_-]*$",
            "mandatory": false,
            "parameter": "username",
            "type": "string"
        },
        {
            "constraint": "range",
            "description": "Number of CPUs.",
            "limited_by": "os_name",
            "limits": [{"min": 2, "os_name": "windows"}],
            "mandatory": true,
            "max": 16,
            "min": 1,
            "parameter": "vcpu",
            "type": "integer"
        }
    ])
}

/// Sizing limits of a host pool.
#[derive(Clone, Copy)]
pub struct Limits {
    pub cpu: (i64, i64),
    pub ram_mb: (i64, i64),
    pub disk_gb: (i64, i64),
}

/// A host pool (server class) of a location.
pub struct HostPool {
    pub uuid: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub is_default: bool,
    pub limits: Limits,
}

const GENERAL: Limits = Limits {
    cpu: (1, 16),
    ram_mb: (512, 65536),
    disk_gb: (20, 2000),
};

pub fn host_pools(slug: &str) -> Vec<HostPool> {
    match slug {
        "jkt02" => vec![HostPool {
            uuid: "6a1e9b1c-3f0d-4c52-8f55-0b7d2a6e4c11",
            name: "General",
            description: "A server class for a wide range of purposes",
            is_default: true,
            limits: GENERAL,
        }],
        "sgp01" => vec![HostPool {
            uuid: "b7c2d9e0-51a4-4e8b-9c3d-2f6a8b1e0d22",
            name: "General",
            description: "A server class for a wide range of purposes",
            is_default: true,
            limits: Limits {
                cpu: (1, 8),
                ram_mb: (512, 16384),
                disk_gb: (20, 500),
            },
        }],
        _ => vec![
            HostPool {
                uuid: "4820b11f-82c9-4313-a1ef-14d6039981db",
                name: "General",
                description: "A server class for a wide range of purposes",
                is_default: true,
                limits: GENERAL,
            },
            HostPool {
                uuid: "d2fc6881-9316-46d7-b515-b6cddaeee927",
                name: "Performance",
                description: "Dedicated high-frequency CPU cores",
                is_default: false,
                limits: Limits {
                    cpu: (2, 32),
                    ram_mb: (2048, 131072),
                    disk_gb: (40, 4000),
                },
            },
        ],
    }
}

/// The pool with `uuid` in a location, or the location's default pool when `uuid` is None.
pub fn find_pool(slug: &str, uuid: Option<&str>) -> Option<HostPool> {
    let pools = host_pools(slug);
    match uuid {
        Some(u) => pools.into_iter().find(|p| p.uuid.eq_ignore_ascii_case(u)),
        None => pools.into_iter().find(|p| p.is_default),
    }
}

fn host_pool_list(_st: &mut SimState, rq: &Req) -> Resp {
    let list: Vec<Value> = host_pools(&rq.slug)
        .iter()
        .map(|p| {
            json!({
                "created_at": "2022-12-28 13:50:52",
                "description": p.description,
                "is_default_designated": p.is_default,
                "name": p.name,
                "updated_at": "2023-02-21 08:17:13",
                "uuid": p.uuid,
                "guest_limits": {
                    "cpu": {"min": p.limits.cpu.0, "max": p.limits.cpu.1},
                    "ram_mb": {"min": p.limits.ram_mb.0, "max": p.limits.ram_mb.1},
                    "disk_gb": {"min": p.limits.disk_gb.0, "max": p.limits.disk_gb.1},
                },
            })
        })
        .collect();
    ok(Value::Array(list))
}
