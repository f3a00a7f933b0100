//! Virtual machines: `/v1/{slug}/user-resource/vm*` (every call form-encoded), the
//! host pools, and the billing-account move of `resource_billing`.

use super::client::RequestBuilder;
use super::models::host_pool::HostPool;
use super::models::vm::Vm;
use super::{
    create_listed, load_balancer, recover_write, ApiClient, ApiError, Feature, Generation, Loc,
    Repeat, Secret,
};

/// What `POST /vm` takes. `None` fields are not sent.
#[derive(Debug, Default, Clone)]
pub struct NewVm {
    pub name: String,
    pub os_name: Option<String>,
    pub os_version: Option<String>,
    pub disk_size_gb: Option<i64>,
    pub vcpu: i64,
    pub ram_mb: i64,
    pub username: Option<String>,
    pub password: Option<Secret>,
    /// Sensitive in the schema (a private key pasted by mistake is refused at plan,
    /// but a key line is still credentials-adjacent): never printed by `Debug`.
    pub public_keys: Vec<Secret>,
    /// Often holds credentials.
    pub cloud_init: Option<Secret>,
    pub network_uuid: Option<String>,
    pub designated_pool_uuid: Option<String>,
    pub billing_account_id: Option<i64>,
    pub description: Option<String>,
    pub backup: bool,
    pub reserve_public_ip: bool,
    pub source_uuid: Option<String>,
    pub source_replica: Option<String>,
    pub disk_uuid: Option<String>,
}

/// Every VM of the location (shared per process until the next write).
pub async fn list(client: &ApiClient, location: &str) -> Result<Vec<Vm>, ApiError> {
    client.list(Loc::At(location), LIST).await
}

const LIST: &str = "user-resource/vm/list";

/// One VM, or `None` when it does not exist (the API answers 400 "No such virtual
/// machine exists"). Served from the list when it is there.
pub async fn find(client: &ApiClient, location: &str, uuid: &str) -> Result<Option<Vm>, ApiError> {
    let keys = |v: &Vm| vec![v.uuid.clone()];
    let get = client
        .get(Loc::At(location), "user-resource/vm")
        .query("uuid", uuid);
    client.find_listed(location, LIST, keys, uuid, get).await
}

pub async fn create(client: &ApiClient, location: &str, new: &NewVm) -> Result<Vm, ApiError> {
    let mut req = client
        .post(Loc::At(location), "user-resource/vm")
        .form("name", &new.name)
        .form("vcpu", new.vcpu)
        .form("ram", new.ram_mb)
        .form("backup", bool_param(new.backup))
        .form("reserve_public_ip", bool_param(new.reserve_public_ip))
        .form_opt("os_name", new.os_name.as_ref())
        .form_opt("os_version", new.os_version.as_ref())
        .form_opt("disks", new.disk_size_gb)
        .form_opt("username", new.username.as_ref())
        .form_opt("password", new.password.as_ref().map(Secret::expose))
        .form_opt("cloud_init", new.cloud_init.as_ref().map(Secret::expose))
        .form_opt("network_uuid", new.network_uuid.as_ref())
        .form_opt("designated_pool_uuid", new.designated_pool_uuid.as_ref())
        .form_opt("billing_account_id", new.billing_account_id)
        .form_opt("description", new.description.as_ref())
        .form_opt("source_uuid", new.source_uuid.as_ref())
        .form_opt("source_replica", new.source_replica.as_ref())
        .form_opt("disk_uuid", new.disk_uuid.as_ref());
    let keys: Vec<&str> = new.public_keys.iter().map(Secret::expose).collect();
    for (name, key) in public_key_params(client.generation(), &keys)? {
        req = req.form(name, key);
    }
    let request = req;
    create_listed(
        client,
        request,
        || list(client, location),
        |v| v.name == new.name,
    )
    .await
}

/// How the keys are sent: the newest generation takes `public_keys` repeated once
/// per key (field notes); the older ones take a single `public_key`, so more than
/// one key there is an error rather than keys silently dropped.
pub fn public_key_params<S: AsRef<str>>(
    generation: Generation,
    keys: &[S],
) -> Result<Vec<(&'static str, &str)>, ApiError> {
    if generation.supports(Feature::VmPublicKeys) {
        return Ok(keys.iter().map(|k| ("public_keys", k.as_ref())).collect());
    }
    match keys {
        [] => Ok(Vec::new()),
        [key] => Ok(vec![("public_key", key.as_ref())]),
        _ => Err(ApiError::unsupported(format!(
            "{} takes a single SSH public key at VM creation ({} given): keep one, and install the others with cloud_init. Several keys are taken by {}.",
            generation.brand(),
            keys.len(),
            Feature::VmPublicKeys.brands()
        ))),
    }
}

fn bool_param(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}

/// `PATCH /vm`: only the fields that change (the API refuses an unchanged vcpu or
/// ram, and changes vcpu/ram only while the VM is stopped). A failure that may
/// have taken effect is checked on the VM before the change is sent again.
pub async fn modify(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    name: Option<&str>,
    vcpu: Option<i64>,
    ram_mb: Option<i64>,
) -> Result<Vm, ApiError> {
    let request = client
        .patch(Loc::At(location), "user-resource/vm")
        .form("uuid", uuid)
        .form_opt("name", name)
        .form_opt("vcpu", vcpu)
        .form_opt("ram", ram_mb)
        // A blind repeat after a lost answer would be refused as "unchanged".
        .repeat(Repeat::OnlyIfRefused);
    recover_write(
        client,
        || request.clone().send(),
        || async {
            Ok(find(client, location, uuid).await?.filter(|vm| {
                name.is_none_or(|n| vm.name == n)
                    && vcpu.is_none_or(|v| vm.vcpu == v)
                    && ram_mb.is_none_or(|r| vm.memory == r)
            }))
        },
    )
    .await
}

/// `POST user-resource/vm/{op}` on the VM `uuid`, form-encoded like every VM call:
/// the request of each operation on one VM (power, boot, backup, reinstall, clone,
/// replica, disk attachment), to which the operation adds its own fields.
pub(super) fn operation<'a>(
    client: &'a ApiClient,
    location: &str,
    op: &str,
    uuid: &str,
) -> RequestBuilder<'a> {
    client
        .post(Loc::At(location), &format!("user-resource/vm/{op}"))
        .form("uuid", uuid)
}

/// `POST vm/{op}` on the VM, checked as `checked_operation` does.
async fn action(
    client: &ApiClient,
    location: &str,
    op: &str,
    uuid: &str,
    done: impl Fn(&Vm) -> bool,
) -> Result<(), ApiError> {
    let request = operation(client, location, op, uuid);
    checked_operation(client, location, uuid, request, done).await
}

/// Sends an operation on the VM `uuid` (a power action, a boot, a flag toggle) that
/// is checked on the VM (`done`) when it may have taken effect, and sent again only
/// after a fresh read of the VM shows that it did not.
pub(super) async fn checked_operation(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    request: RequestBuilder<'_>,
    done: impl Fn(&Vm) -> bool,
) -> Result<(), ApiError> {
    recover_write(
        client,
        || request.clone().send_empty(),
        || async {
            Ok(find(client, location, uuid)
                .await?
                .filter(|vm| done(vm))
                .map(|_| ()))
        },
    )
    .await
}

pub async fn start(client: &ApiClient, location: &str, uuid: &str) -> Result<(), ApiError> {
    action(client, location, "start", uuid, Vm::is_running).await
}

pub async fn stop(client: &ApiClient, location: &str, uuid: &str) -> Result<(), ApiError> {
    action(client, location, "stop", uuid, Vm::is_stopped).await
}

/// `POST /vm/backup` toggles the flag: call it only when the flag differs from
/// `want` (and a repeat only after a fresh read shows it still differs).
pub async fn toggle_backup(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    want: bool,
) -> Result<(), ApiError> {
    action(client, location, "backup", uuid, |vm| vm.backup == want).await
}

/// Reserves a public IPv4 address (a floating IP) and assigns it to the VM.
pub async fn reserve_public_ip(
    client: &ApiClient,
    location: &str,
    uuid: &str,
) -> Result<(), ApiError> {
    let request = operation(client, location, "ip/public", uuid);
    recover_write(
        client,
        || request.clone().send_empty(),
        || async {
            Ok(super::floating_ip::assigned_to(client, location, uuid)
                .await?
                .map(|_| ()))
        },
    )
    .await
}

/// `PATCH /vm/user`: the VM must be running.
pub async fn set_password(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    username: &str,
    password: &str,
) -> Result<(), ApiError> {
    client
        .patch(Loc::At(location), "user-resource/vm/user")
        .form("uuid", uuid)
        .form("username", username)
        .form("password", password)
        .send_empty()
        .await
}

/// Moves the VM to another billing account.
pub async fn set_billing_account(
    client: &ApiClient,
    location: &str,
    uuid: &str,
    billing_account_id: i64,
) -> Result<(), ApiError> {
    client
        .post(Loc::At(location), "user-resource/resource_billing")
        .form("uuid", uuid)
        .form("billing_account_id", billing_account_id)
        .repeat(Repeat::Idempotent)
        .send_empty()
        .await
}

pub async fn delete(client: &ApiClient, location: &str, uuid: &str) -> Result<(), ApiError> {
    client
        .delete(Loc::At(location), "user-resource/vm")
        .form("uuid", uuid)
        .send_empty()
        .await
}

/// The location's host pools (server classes) with their sizing limits.
pub async fn host_pools(client: &ApiClient, location: &str) -> Result<Vec<HostPool>, ApiError> {
    client
        .list(Loc::At(location), "user-resource/host_pool/list")
        .await
}

/// Unlinks the VM from every load balancer that targets it, so deleting it never
/// depends on the order in which Terraform updates those load balancers.
pub async fn unlink_from_load_balancers(
    client: &ApiClient,
    location: &str,
    vm_uuid: &str,
) -> Result<(), ApiError> {
    for lb in load_balancer::list(client, location).await? {
        if lb.targets.iter().any(|t| t.target_uuid == vm_uuid) {
            load_balancer::remove_target(client, location, &lb.uuid, vm_uuid).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_a_new_vm_shows_no_secret() {
        let new = NewVm {
            name: "web".into(),
            password: Some(Secret::from("Hunter2pass")),
            public_keys: vec![Secret::from("ssh-ed25519 AAAAkeymaterial ops@x")],
            cloud_init: Some(Secret::from("#cloud-config\nchpasswd: x")),
            ..NewVm::default()
        };
        let shown = format!("{new:?}");
        for secret in ["Hunter2pass", "AAAAkeymaterial", "chpasswd"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("web"), "{shown}");
    }

    #[test]
    fn public_keys_per_generation() {
        let keys = vec!["ssh-ed25519 A a".to_owned(), "ssh-rsa B b".to_owned()];
        let newest = public_key_params(Generation::Newest, &keys).unwrap();
        assert_eq!(
            newest,
            vec![
                ("public_keys", "ssh-ed25519 A a"),
                ("public_keys", "ssh-rsa B b")
            ]
        );
        let one = public_key_params(Generation::Middle, &keys[..1]).unwrap();
        assert_eq!(one, vec![("public_key", "ssh-ed25519 A a")]);
        let err = public_key_params(Generation::Oldest, &keys).unwrap_err();
        assert!(
            err.message
                .contains("elastis.id takes a single SSH public key"),
            "{err}"
        );
        assert!(public_key_params::<&str>(Generation::Middle, &[])
            .unwrap()
            .is_empty());
    }
}
