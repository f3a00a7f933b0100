//! `idcloudhost_ssh_key`: an SSH public key stored in the account (global; only the
//! newest API generation, IDCloudHost, has the SSH keys API).

use crate::framework::DynamicResource;
use crate::framework::{NoChecks, Timeouts};
use async_trait::async_trait;
use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::common::{
    created_at_attr, gone_during_update, id_attr, import_global_uuid, name_attr, name_change,
};
use crate::api::models::ssh_key::SshKey;
use crate::api::ssh_key as api;
use crate::api::NotFoundExt;
use crate::api::{ErrorKind, Feature};
use crate::context::{ProviderData, Shared};
use crate::framework::{
    non_empty, required, timeouts_block, Attr, Dyn, OpError, Plan, ResourceType, SchemaSpec, Ty,
    Validator,
};

/// The resource types this module defines.
pub fn resources(shared: &Shared) -> Vec<(String, Box<dyn DynamicResource>)> {
    vec![super::register(SshKeyResource, shared)]
}

/// The platform's own check of an OpenSSH public key line (from the VM parameters).
pub const PUBLIC_KEY_PATTERN: &str =
    r"^(ssh-(rsa|dsa|ecdsa|ed25519)|ecdsa-sha2-nistp[0-9]+) [A-Za-z0-9+/]+[=]{0,3}(\s.*)?$";

/// Whether a public key line matches the platform's pattern, surrounding
/// whitespace (the newline `file()` keeps) ignored: the check of the SSH key's
/// `public_key` and of a VM's `public_keys` alike.
pub fn matches_key_pattern(line: &str) -> bool {
    let re = regex::Regex::new(PUBLIC_KEY_PATTERN).expect("valid pattern");
    re.is_match(line.trim())
}

/// Standard base64 that accepts the key blob with or without its padding.
const BLOB: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The decoded key blob (the second field of the key line).
fn key_blob(public_key: &str) -> Option<Vec<u8>> {
    let blob = public_key.split_whitespace().nth(1)?;
    BLOB.decode(blob).ok().filter(|b| !b.is_empty())
}

/// The key's fingerprint as `ssh-keygen -l` prints it: `SHA256:` followed by the
/// unpadded standard base64 of the SHA-256 of the decoded key blob. `None` when the
/// line has no decodable blob.
pub fn fingerprint_sha256(public_key: &str) -> Option<String> {
    let blob = key_blob(public_key)?;
    Some(format!(
        "SHA256:{}",
        STANDARD_NO_PAD.encode(Sha256::digest(&blob))
    ))
}

/// Checks a public key line at plan time: the platform's pattern, and a blob that
/// really is base64.
pub fn check_public_key(value: &Dyn) -> Result<(), String> {
    let Some(text) = value.as_str() else {
        return Err("expected a string".into());
    };
    let line = text.trim();
    if !matches_key_pattern(line) {
        return Err(format!(
            "{:?} is not an OpenSSH public key line: expected \"<type> <base64 key> [comment]\" with type ssh-rsa, ssh-ed25519, ssh-ecdsa, ssh-dsa or ecdsa-sha2-nistpNNN (the platform's pattern {PUBLIC_KEY_PATTERN}).",
            abbreviate(line)
        ));
    }
    if key_blob(line).is_none() {
        return Err(format!(
            "The key data of {:?} is not valid base64.",
            abbreviate(line)
        ));
    }
    Ok(())
}

fn abbreviate(text: &str) -> String {
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text.to_owned()
    }
}

/// Two key lines that differ only in surrounding or repeated whitespace (a trailing
/// newline from `file()`, say) are the same key.
fn same_key(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// The public keys of the given SSH key ids, in order (for a VM's `ssh_key_ids`).
/// One list call for any number of ids.
#[allow(dead_code)] // called by idcloudhost_vm as it lands
pub async fn public_keys_of(ctx: &ProviderData, ids: &[String]) -> Result<Vec<String>, OpError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let keys = api::list(&ctx.client).await?;
    ids.iter()
        .map(|id| {
            keys.iter()
                .find(|k| k.uuid.eq_ignore_ascii_case(id.trim()))
                .map(|k| k.public_key.trim().to_owned())
                .ok_or_else(|| {
                    OpError::new(format!("SSH key {id:?} not found"))
                        .detail("No SSH key of this account has that id; use the id of an idcloudhost_ssh_key resource.")
                        .at("ssh_key_ids")
                })
        })
        .collect()
}

/// The state of an `idcloudhost_ssh_key`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct SshKeyState {
    pub id: Option<String>,
    pub name: Option<String>,
    pub public_key: Option<String>,
    pub fingerprint: Option<String>,
    pub created_at: Option<String>,
    pub timeouts: Vec<Timeouts>,
}

#[derive(Default)]
pub struct SshKeyResource;

/// State from the API's key. `known_key` is the line from the configuration or
/// prior state: kept when the API reports the same key in another whitespace form.
fn key_state(k: SshKey, known_key: Option<&str>) -> SshKeyState {
    let public_key = match known_key {
        Some(known) if same_key(known, &k.public_key) => known.to_owned(),
        _ => k.public_key,
    };
    SshKeyState {
        id: Some(k.uuid),
        name: Some(k.name),
        fingerprint: fingerprint_sha256(&public_key),
        public_key: Some(public_key),
        created_at: non_empty(&k.created_at),
        timeouts: Vec::new(),
    }
}

#[async_trait]
impl ResourceType for SshKeyResource {
    type Platform = ProviderData;
    const NAME: &'static str = "ssh_key";
    type State = SshKeyState;
    type Config = NoChecks;
    const FEATURE: Option<Feature> = Some(Feature::SshKeys);

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("An SSH public key stored in the account, for VMs' `ssh_key_ids`. Global (not tied to a location). Only the IDCloudHost API (the newest generation) has SSH keys.")
            .attr(id_attr("The key's uuid."))
            .attr(name_attr("Name of the key, unique in the account; changed in place."))
            .attr(
                Attr::required("public_key", Ty::String)
                    .desc("The OpenSSH public key line (`<type> <base64> [comment]`, e.g. the contents of `id_ed25519.pub`).")
                    .force_new()
                    .validate(Validator::custom(check_public_key)),
            )
            .attr(
                Attr::computed("fingerprint", Ty::String)
                    .desc("SHA-256 fingerprint as `ssh-keygen -l` prints it (`SHA256:…`), computed by the provider.")
                    .stable(),
            )
            .attr(created_at_attr())
            .block(timeouts_block(&["create", "update", "delete"]))
    }

    async fn modify_plan(&self, _ctx: &ProviderData, plan: &mut Plan) -> Result<(), OpError> {
        // The fingerprint follows from the key, so the plan can show it.
        plan.update_planned(|planned: &mut SshKeyState| {
            if let Some(fp) = planned.public_key.as_deref().and_then(fingerprint_sha256) {
                planned.fingerprint = Some(fp);
            }
        })
    }

    async fn create(
        &self,
        ctx: &ProviderData,
        planned: SshKeyState,
    ) -> Result<SshKeyState, OpError> {
        let name = required(&planned.name, "name")?;
        let public_key = required(&planned.public_key, "public_key")?;
        match api::create(&ctx.client, name, public_key.trim()).await {
            Ok(k) => Ok(key_state(k, Some(public_key))),
            Err(e) if e.kind == ErrorKind::Conflict => Err(duplicate_name(ctx, name, e).await),
            Err(e) => Err(e.into()),
        }
    }

    async fn read(
        &self,
        ctx: &ProviderData,
        state: SshKeyState,
    ) -> Result<Option<SshKeyState>, OpError> {
        Ok(api::find(&ctx.client, required(&state.id, "id")?)
            .await?
            .map(|k| key_state(k, state.public_key.as_deref())))
    }

    async fn update(
        &self,
        ctx: &ProviderData,
        prior: SshKeyState,
        planned: SshKeyState,
    ) -> Result<SshKeyState, OpError> {
        let uuid = required(&prior.id, "id")?;
        if let Some(name) = name_change(&prior.name, &planned.name)? {
            if let Err(e) = api::rename(&ctx.client, uuid, name).await {
                return Err(if e.kind == ErrorKind::Conflict {
                    duplicate_name(ctx, name, e).await
                } else {
                    e.into()
                });
            }
        }
        api::find(&ctx.client, uuid)
            .await?
            .map(|k| key_state(k, planned.public_key.as_deref()))
            .ok_or_else(|| gone_during_update("The SSH key"))
    }

    async fn delete(&self, ctx: &ProviderData, state: &SshKeyState) -> Result<(), OpError> {
        Ok(api::delete(&ctx.client, required(&state.id, "id")?)
            .await
            .ok_if_not_found()?)
    }

    async fn import(&self, _ctx: &ProviderData, id: &str) -> Result<SshKeyState, OpError> {
        import_global_uuid(
            id,
            "Expected the SSH key's uuid (SSH keys are global: no location).",
        )
    }
}

/// The API's 409 for a name in use, with the way out.
async fn duplicate_name(ctx: &ProviderData, name: &str, e: crate::api::ApiError) -> OpError {
    let existing = api::list(&ctx.client)
        .await
        .ok()
        .and_then(|keys| keys.into_iter().find(|k| k.name == name))
        .map(|k| format!(" (id {})", k.uuid))
        .unwrap_or_default();
    OpError::new(e.to_string())
        .detail(format!(
            "An SSH key named {name:?} already exists in this account{existing}: names are unique per account. Choose another name, or bring the existing key under Terraform with `terraform import idcloudhost_ssh_key.<name> <id>`."
        ))
        .at("name")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::from_state;
    use crate::framework::typed::state_matches_schema;
    use crate::obj;
    use crate::resources::common::test_ctx;

    // Generated with `ssh-keygen -t ed25519` / `-t rsa -b 2048`; the fingerprints are
    // what `ssh-keygen -lf` (OpenSSH) printed for them.
    const ED25519: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE/SbnQxYwxO4peK4HGs3htL+dDoSTB/3LTmTJ0HsDbb test@example";
    const ED25519_FP: &str = "SHA256:py8vEMde8stXbXBhrJpUq0HHPDzgxp5adYyqeJWUpK0";
    const RSA: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCi8GUTSdajA5hcR6WYkAuE2mannCVbVo7f3MVBTjvkokxscnOr8Sj2XQgqE+69XyS1qrPDEesYIIDB+38k3H4POitpXPIkkRAJJz1wjZ5sgOFLsqokEL0ei4fwVPhq1EF4ANzDeEXSG8S55E3AL9Ka30tLaBKCExLB7RyHJR7CigmgjZxf/JT04sKLiTIF/xZ6dFQdHukw7qgfeJ1YPaX3Esc24cP4Xy22wjVMeH1qLlkPRQEKsQad+/4dYwmaZ9qo7v+kLWF5c6HgymZ8k4nPQxlQlGxuoICt0ypLMeot6LSc+YZH55Uw3v4nYahkfRIC6vJdI1quQq7cuOmFMqCl rsa@example";
    const RSA_FP: &str = "SHA256:1UvFtLfqB6aCHsc0nrTSpfHBFjN3nGV688rnJ2wJoI8";

    #[test]
    fn fingerprints_like_ssh_keygen() {
        assert_eq!(fingerprint_sha256(ED25519).as_deref(), Some(ED25519_FP));
        assert_eq!(fingerprint_sha256(RSA).as_deref(), Some(RSA_FP));
        // Padding, comment and surrounding whitespace do not matter.
        let no_comment = ED25519.rsplit_once(' ').unwrap().0;
        assert_eq!(
            fingerprint_sha256(&format!("  {no_comment}\n")).as_deref(),
            Some(ED25519_FP)
        );
        assert_eq!(fingerprint_sha256("ssh-ed25519 !!!"), None);
        assert_eq!(fingerprint_sha256("ssh-ed25519"), None);
    }

    #[test]
    fn validates_public_keys() {
        assert!(check_public_key(&Dyn::str(ED25519)).is_ok());
        assert!(check_public_key(&Dyn::str(format!("{ED25519}\n"))).is_ok());
        let err = check_public_key(&Dyn::str("not a key")).unwrap_err();
        assert!(err.contains("not an OpenSSH public key line"), "{err}");
        // Matches the pattern but the blob is not base64 (length 1 mod 4).
        let err = check_public_key(&Dyn::str("ssh-rsa AAAAB")).unwrap_err();
        assert!(err.contains("not valid base64"), "{err}");
        assert!(check_public_key(&Dyn::str("ssh-foo AAAA")).is_err());
    }

    #[test]
    fn whitespace_variants_are_the_same_key() {
        assert!(same_key(ED25519, &format!("{ED25519}\n")));
        assert!(!same_key(ED25519, "ssh-ed25519 AAAA x"));
    }

    #[tokio::test]
    async fn middle_generation_has_no_ssh_keys() {
        let ctx = test_ctx("https://api.3nv.io");
        let planned = obj! { "name" => "k", "public_key" => ED25519 };
        // Refused by the API client before any request: the 3nv.io host is never
        // contacted (the plan-time check comes first through Terraform).
        let err = SshKeyResource
            .create(&ctx, from_state(&planned).unwrap())
            .await
            .unwrap_err();
        assert!(
            err.summary.contains("SSH keys are not available on 3nv.io"),
            "{err}"
        );
        let err = public_keys_of(&ctx, &["abc".to_owned()]).await.unwrap_err();
        assert!(err.summary.contains("3nv.io"), "{err}");
        let err = SshKeyResource
            .read(&ctx, from_state(&obj! { "id" => "abc" }).unwrap())
            .await
            .unwrap_err();
        assert!(err.summary.contains("3nv.io"), "{err}");
    }

    #[test]
    fn state_struct_matches_the_schema() {
        assert_eq!(state_matches_schema(&SshKeyResource), Ok(()));
    }
}
