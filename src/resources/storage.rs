//! Object storage: `idcloudhost_bucket` and `idcloudhost_s3_credential`. Both are
//! global (the account's object storage is not tied to a location).

use crate::framework::DynamicResource;
use crate::framework::Timeouts;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::common::{
    billing_account_attr, billing_change, created_at_attr, global_import_id, gone_during_update,
    id_attr,
};
use crate::api::models::storage::{Bucket, S3Key};
use crate::api::storage as api;
use crate::api::ApiError;
use crate::api::NotFoundExt;
use crate::context::{ProviderData, Shared};
use crate::framework::{
    non_empty, required, timeouts_block, warn, Attr, Field, NoChecks, OpError, Plan, ResourceType,
    SchemaSpec, Ty, Validator,
};

/// The resource types this module defines.
pub fn resources(shared: &Shared) -> Vec<(String, Box<dyn DynamicResource>)> {
    vec![
        super::register(BucketResource, shared),
        super::register(S3CredentialResource, shared),
    ]
}

/// An API error as an operation error, with a hint when the account has no
/// object storage at all.
pub(crate) fn storage_err(e: ApiError) -> OpError {
    let no_storage = api::is_no_storage_account(&e);
    let op = OpError::from(e);
    if no_storage {
        op.detail(
            "The API reports that this account has no object storage (S3) account. Enable \
             object storage for the account (e.g. in the provider's web console) or use the \
             API key of an account that has it.",
        )
    } else {
        op
    }
}

// ---- bucket names ----

/// Checks a bucket name against the S3 bucket naming rules; the message lists
/// every rule the name breaks.
pub fn check_bucket_name(name: &str) -> Result<(), String> {
    let mut problems = Vec::new();
    let len = name.chars().count();
    if !(3..=63).contains(&len) {
        problems.push(format!("must be 3 to 63 characters long (it has {len})"));
    }
    let bad: Vec<char> = name
        .chars()
        .filter(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '.'))
        .collect();
    if !bad.is_empty() {
        let mut shown: Vec<String> = Vec::new();
        for c in bad {
            let text = format!("{c:?}");
            if !shown.contains(&text) {
                shown.push(text);
            }
        }
        problems.push(format!(
            "may contain only lowercase letters, digits, hyphens and dots (not {})",
            shown.join(", ")
        ));
    }
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !name.is_empty() && (!alnum(name.chars().next()) || !alnum(name.chars().last())) {
        problems.push("must start and end with a lowercase letter or a digit".to_owned());
    }
    if name.contains("..") {
        problems.push("must not contain two adjacent dots".to_owned());
    }
    let parts: Vec<&str> = name.split('.').collect();
    if parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit()))
    {
        problems.push("must not be formatted as an IPv4 address".to_owned());
    }
    if name.starts_with("xn--") {
        problems.push("must not start with \"xn--\"".to_owned());
    }
    if name.ends_with("-s3alias") {
        problems.push("must not end with \"-s3alias\"".to_owned());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{name:?} is not a valid bucket name: it {}.",
            problems.join("; it ")
        ))
    }
}

// ---- idcloudhost_bucket ----

/// The state of an `idcloudhost_bucket`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(default)]
pub struct BucketState {
    pub id: Option<String>,
    pub name: Option<String>,
    pub billing_account_id: Option<i64>,
    pub size_bytes: Option<i64>,
    pub num_objects: Option<i64>,
    pub is_suspended: Option<bool>,
    pub created_at: Option<String>,
    pub modified_at: Option<String>,
    pub estimated_hourly_cost: Option<f64>,
    pub estimated_monthly_cost: Option<f64>,
    pub timeouts: Vec<Timeouts>,
}

#[derive(Default)]
pub struct BucketResource;

fn bucket_state(b: Bucket) -> BucketState {
    BucketState {
        id: Some(b.name.clone()),
        name: Some(b.name),
        billing_account_id: Some(b.billing_account_id),
        size_bytes: Some(b.size_bytes),
        num_objects: Some(b.num_objects),
        is_suspended: Some(b.is_suspended),
        created_at: non_empty(&b.created_at),
        modified_at: non_empty(&b.modified_at),
        timeouts: Vec::new(),
        ..BucketState::default()
    }
}

/// The bucket's name in a state: `id`, else `name`.
fn bucket_name(state: &BucketState) -> Result<&str, OpError> {
    match state.id.as_deref().filter(|s| !s.is_empty()) {
        Some(id) => Ok(id),
        None => required(&state.name, "name"),
    }
}

fn not_empty_error(name: &str, objects: Option<i64>, bytes: Option<i64>, api: &str) -> OpError {
    let holds = match (objects, bytes) {
        (Some(n), Some(b)) => format!("It still holds {n} object(s) ({b} bytes). "),
        _ => String::new(),
    };
    let api = if api.is_empty() {
        String::new()
    } else {
        format!(" The API said: {api}")
    };
    OpError::new(format!(
        "Bucket {name:?} is not empty and cannot be deleted"
    ))
    .detail(format!(
        "{holds}Only empty buckets can be deleted through this API. Delete its objects through \
         the S3 API first (its URL is given by the idcloudhost_s3_endpoint data source), \
         then run Terraform again.{api}"
    ))
}

#[async_trait]
impl ResourceType for BucketResource {
    type Platform = ProviderData;
    const NAME: &'static str = "bucket";
    type State = BucketState;
    type Config = NoChecks;

    fn schema(&self) -> SchemaSpec {
        let spec = SchemaSpec::new(
            "An S3 object storage bucket. Buckets belong to the account, not to a location; \
             their names are unique across all accounts of the platform.",
        )
        .attr(id_attr("The bucket's name."))
        .attr(
            Attr::required("name", Ty::String)
                .desc(
                    "Bucket name, unique across all accounts. S3 naming rules apply: 3-63 \
                     characters of lowercase letters, digits, hyphens and dots, starting and \
                     ending with a letter or digit, no `..`, not an IPv4 address, no `xn--` \
                     prefix and no `-s3alias` suffix.",
                )
                .force_new()
                .validate(Validator::custom(|v| match v.as_str() {
                    Some(name) => check_bucket_name(name),
                    None => Err("expected a string".into()),
                })),
        )
        .attr(billing_account_attr())
        .attr(
            Attr::computed("size_bytes", Ty::Number)
                .desc("Total size of the bucket's objects in bytes, as last read."),
        )
        .attr(
            Attr::computed("num_objects", Ty::Number)
                .desc("Number of objects in the bucket, as last read."),
        )
        .attr(Attr::computed("is_suspended", Ty::Bool).desc("Whether the bucket is suspended."))
        .attr(created_at_attr())
        .attr(
            Attr::computed("modified_at", Ty::String)
                .desc("When the bucket was last modified, as the API reports it."),
        )
        .block(timeouts_block(&["create", "update", "delete"]));
        super::cost::with_cost_attrs(spec, super::cost::BUCKET_FORMULA)
    }

    async fn meter(
        &self,
        _ctx: &ProviderData,
        values: &BucketState,
        prior: Option<&BucketState>,
    ) -> Result<Option<crate::platform::pricing::Meter>, OpError> {
        Ok(Some(super::cost::bucket(values, prior)))
    }

    async fn create(
        &self,
        ctx: &ProviderData,
        planned: BucketState,
    ) -> Result<BucketState, OpError> {
        let name = required(&planned.name, "name")?;
        let billing = match planned.billing_account_id {
            Some(id) => id,
            None => ctx.resolve_billing_account(None).await?,
        };
        // A bucket of this account that Terraform does not track yet: say how to
        // adopt it instead of showing the API's "already exists".
        if api::list_buckets(&ctx.client)
            .await
            .map_err(storage_err)?
            .iter()
            .any(|b| b.name == name)
        {
            return Err(OpError::new(format!(
                "A bucket named {name:?} already exists in this account"
            ))
            .detail(format!(
                "Import it instead of creating it: terraform import <address> {name}"
            ))
            .at("name"));
        }
        match api::create_bucket(&ctx.client, name, billing).await {
            Ok(created) => {
                if let Some(left) = created.unwanted_key_left {
                    warn(
                        OpError::new("An S3 key pair created along with the bucket is left unmanaged")
                            .detail(format!(
                                "The account's first bucket also created its object storage user, with a key \
                                 pair of its own that Terraform does not manage; deleting it failed: {left}. \
                                 Delete it outside Terraform (DELETE /v1/storage/user/keys)."
                            )),
                    );
                }
                Ok(bucket_state(created.bucket))
            }
            Err(e) if e.kind == crate::api::ErrorKind::Conflict => Err(OpError::from(e)
                .detail(format!(
                    "Bucket names are unique across all accounts of the platform, and {name:?} \
                     is taken by another account. Choose another name."
                ))
                .at("name")),
            Err(e) => Err(storage_err(e)),
        }
    }

    async fn read(
        &self,
        ctx: &ProviderData,
        state: BucketState,
    ) -> Result<Option<BucketState>, OpError> {
        let name = bucket_name(&state)?;
        Ok(api::find_bucket(&ctx.client, name)
            .await
            .map_err(storage_err)?
            .map(bucket_state))
    }

    async fn update(
        &self,
        ctx: &ProviderData,
        prior: BucketState,
        planned: BucketState,
    ) -> Result<BucketState, OpError> {
        let name = bucket_name(&prior)?;
        let billing = billing_change(prior.billing_account_id, planned.billing_account_id);
        if let Some(billing) = billing {
            let bucket = api::set_bucket_billing(&ctx.client, name, billing)
                .await
                .map_err(storage_err)?;
            return Ok(bucket_state(bucket));
        }
        api::find_bucket(&ctx.client, name)
            .await
            .map_err(storage_err)?
            .map(bucket_state)
            .ok_or_else(|| gone_during_update(&format!("Bucket {name:?}")))
    }

    async fn delete(&self, ctx: &ProviderData, state: &BucketState) -> Result<(), OpError> {
        let name = bucket_name(state)?;
        // A fresh look: objects may have been written since the last refresh.
        let Some(bucket) = api::get_bucket(&ctx.client, name)
            .await
            .map_err(storage_err)?
        else {
            return Ok(());
        };
        if bucket.num_objects > 0 {
            return Err(not_empty_error(
                name,
                Some(bucket.num_objects),
                Some(bucket.size_bytes),
                "",
            ));
        }
        match api::delete_bucket(&ctx.client, name)
            .await
            .ok_if_not_found()
        {
            Ok(()) => Ok(()),
            Err(e) if api::is_not_empty_refusal(&e) => {
                Err(not_empty_error(name, None, None, &e.to_string()))
            }
            Err(e) => Err(storage_err(e)),
        }
    }

    async fn import(&self, _ctx: &ProviderData, id: &str) -> Result<BucketState, OpError> {
        if id.contains('/') {
            return Err(OpError::new(format!("Invalid import ID {id:?}"))
                .detail("Expected the bucket's name (buckets are not location-scoped)."));
        }
        Ok(BucketState {
            id: Some(id.to_owned()),
            name: Some(id.to_owned()),
            ..BucketState::default()
        })
    }
}

// ---- idcloudhost_s3_credential ----

/// The state of an `idcloudhost_s3_credential`.
#[derive(Serialize, Deserialize, Clone, Default, PartialEq)]
#[serde(default)]
pub struct S3CredentialState {
    pub id: Option<String>,
    pub access_key: Option<String>,
    /// `Field`: a plan makes it null, or unknown when it is stored again.
    pub secret_key: Field<String>,
    pub store_secret_key: Option<bool>,
    pub user_id: Option<String>,
    pub timeouts: Vec<Timeouts>,
}

// Never prints a secret: the state is in hand wherever something fails.
impl std::fmt::Debug for S3CredentialState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::framework::typed::debug_redacted(self, "S3CredentialState", &["secret_key"], f)
    }
}

#[derive(Default)]
pub struct S3CredentialResource;

const STORE_SECRET_KEY: &str = "store_secret_key";

/// Whether the secret is kept in the state: unless `store_secret_key = false`
/// (unset, as in every state written before the argument existed, means true).
fn stores_secret(store: Option<bool>) -> bool {
    store != Some(false)
}

/// State of a key pair; a secret the API does not return keeps its prior value.
/// With `store_secret_key = false` the secret stays out of the state.
fn key_state(key: S3Key, prior_secret: Option<String>, store: Option<bool>) -> S3CredentialState {
    let secret_key = if !stores_secret(store) {
        None
    } else if key.secret_key.is_empty() {
        prior_secret
    } else {
        Some(key.secret_key.expose().to_owned())
    };
    S3CredentialState {
        id: Some(key.access_key.clone()),
        access_key: Some(key.access_key),
        secret_key: secret_key.into(),
        store_secret_key: store,
        user_id: non_empty(&key.user_id),
        timeouts: Vec::new(),
    }
}

fn access_key_of(state: &S3CredentialState) -> Result<&str, OpError> {
    match state.access_key.as_deref().filter(|s| !s.is_empty()) {
        Some(key) => Ok(key),
        None => required(&state.id, "id"),
    }
}

#[async_trait]
impl ResourceType for S3CredentialResource {
    type Platform = ProviderData;
    const NAME: &'static str = "s3_credential";
    type State = S3CredentialState;
    type Config = NoChecks;

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new(
            "An S3 access key pair of the account's object storage user. Creating it \
             generates a new pair; destroying it deletes that pair.",
        )
        .attr(id_attr("The access key."))
        .attr(
            Attr::computed("access_key", Ty::String)
                .desc("The S3 access key ID.")
                .stable(),
        )
        .attr(
            Attr::computed("secret_key", Ty::String)
                .desc("The S3 secret access key. Stored in the Terraform state (marked sensitive) unless `store_secret_key` is `false`. For a key pair that never touches the state, use the `idcloudhost_s3_credential` ephemeral resource (Terraform 1.10 or later): a pair that lives for one run.")
                .sensitive()
                .stable(),
        )
        .attr(
            Attr::optional(STORE_SECRET_KEY, Ty::Bool)
                .desc("Whether `secret_key` is kept in the Terraform state: `true` (the default, also when unset) or `false`, which leaves `secret_key` null in the state (the pair's secret is then only seen in the API's key list). Changed in place; nothing is sent to the API.")
                .not_read_back(),
        )
        .attr(
            Attr::computed("user_id", Ty::String)
                .desc("The object storage user the key pair belongs to.")
                .stable(),
        )
        .block(timeouts_block(&["create", "delete"]))
    }

    /// `store_secret_key = false` plans the secret out of the state; turned back
    /// on, the secret is read again (unknown until then).
    async fn modify_plan(&self, _ctx: &ProviderData, plan: &mut Plan) -> Result<(), OpError> {
        let prior = plan.typed::<S3CredentialState>()?.prior;
        let stored_before = prior.map(|p| stores_secret(p.store_secret_key));
        plan.update_planned(|planned: &mut S3CredentialState| {
            if !stores_secret(planned.store_secret_key) {
                planned.secret_key = Field::Null;
            } else if stored_before == Some(false) {
                planned.secret_key = Field::Unknown;
            }
        })
    }

    async fn create(
        &self,
        ctx: &ProviderData,
        planned: S3CredentialState,
    ) -> Result<S3CredentialState, OpError> {
        let key = api::create_key(&ctx.client).await.map_err(storage_err)?;
        Ok(key_state(key, None, planned.store_secret_key))
    }

    async fn read(
        &self,
        ctx: &ProviderData,
        state: S3CredentialState,
    ) -> Result<Option<S3CredentialState>, OpError> {
        let access_key = access_key_of(&state)?;
        Ok(api::find_key(&ctx.client, access_key)
            .await
            .map_err(storage_err)?
            .map(|k| key_state(k, state.secret_key.into_known(), state.store_secret_key)))
    }

    async fn update(
        &self,
        ctx: &ProviderData,
        prior: S3CredentialState,
        planned: S3CredentialState,
    ) -> Result<S3CredentialState, OpError> {
        // Only store_secret_key is configurable: a refresh under its planned value.
        let access_key = access_key_of(&prior)?;
        let key = api::find_key(&ctx.client, access_key)
            .await
            .map_err(storage_err)?
            .ok_or_else(|| gone_during_update("The S3 key pair"))?;
        let prior_secret = prior
            .secret_key
            .into_known()
            .filter(|_| stores_secret(prior.store_secret_key));
        Ok(key_state(key, prior_secret, planned.store_secret_key))
    }

    async fn delete(&self, ctx: &ProviderData, state: &S3CredentialState) -> Result<(), OpError> {
        let access_key = access_key_of(state)?;
        api::delete_key(&ctx.client, access_key)
            .await
            .ok_if_not_found()
            .map_err(storage_err)
    }

    async fn import(&self, _ctx: &ProviderData, id: &str) -> Result<S3CredentialState, OpError> {
        let id = global_import_id(id, "Expected the key pair's access key.")?;
        Ok(S3CredentialState {
            id: Some(id.to_owned()),
            access_key: Some(id.to_owned()),
            ..S3CredentialState::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::typed::state_matches_schema;

    #[test]
    fn bucket_names() {
        for good in [
            "abc",
            "my-bucket.logs",
            "1a2",
            "a".repeat(63).as_str(),
            "10.0.0.1a",
        ] {
            assert!(check_bucket_name(good).is_ok(), "{good}");
        }
        let cases = [
            ("ab", "3 to 63"),
            ("My_Bucket", "'M', '_'"),
            ("-abc", "start and end"),
            ("abc.", "start and end"),
            ("a..b", "adjacent dots"),
            ("192.168.5.4", "IPv4"),
            ("xn--abc", "xn--"),
            ("data-s3alias", "-s3alias"),
        ];
        for (bad, expected) in cases {
            let message = check_bucket_name(bad).unwrap_err();
            assert!(message.contains(expected), "{bad}: {message}");
        }
        assert!(check_bucket_name(&"a".repeat(64)).is_err());
    }

    #[test]
    fn state_struct_matches_the_schema() {
        assert_eq!(state_matches_schema(&BucketResource), Ok(()));
        assert_eq!(state_matches_schema(&S3CredentialResource), Ok(()));
    }
}
