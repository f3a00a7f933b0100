//! `ephemeral "idcloudhost_s3_credential"`: a new S3 key pair of the account's
//! object storage user for the length of one Terraform run. Opening generates the
//! pair (`POST storage/user/keys`, taking turns with bucket and key creates of the
//! same provider process, so it is told apart from pairs made meanwhile); closing
//! deletes exactly that pair, whose access key (not its secret) travels in the
//! private bytes. Terraform closes it also when the run fails.

use async_trait::async_trait;

use crate::api::storage as api;
use crate::api::NotFoundExt;
use crate::context::ProviderData;
use crate::data_sources::s3_url;
use crate::framework::{Attr, Dyn, EphemeralResourceType, OpError, Opened, SchemaSpec, Ty};
use crate::obj;
use crate::resources::storage::storage_err;

pub struct S3Credential;

const ACCESS_KEY: &str = "access_key";

#[async_trait]
impl EphemeralResourceType for S3Credential {
    type Platform = ProviderData;
    const NAME: &'static str = "s3_credential";

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new(
            "A new S3 key pair of the account's object storage user that exists only during one \
             Terraform run: generated when Terraform opens it (in plan, and again in apply) and \
             deleted when Terraform closes it, also when the run fails. Its values never reach \
             the plan or the state: for uploads and S3-backed tools during one apply with a key \
             that lives minutes. For a key pair that outlives the run, use the \
             `idcloudhost_s3_credential` resource.",
        )
        .attr(Attr::computed(ACCESS_KEY, Ty::String).desc("The S3 access key ID."))
        .attr(
            Attr::computed("secret_key", Ty::String)
                .desc("The S3 secret access key.")
                .sensitive(),
        )
        .attr(Attr::computed("endpoint", Ty::String).desc(
            "The URL of the platform's S3 API (e.g. `https://s3.idcloudhost.com:8080/`), as \
             the `idcloudhost_s3_endpoint` data source reports it.",
        ))
        .attr(
            Attr::computed("user_id", Ty::String)
                .desc("The object storage user the key pair belongs to."),
        )
    }

    async fn open(
        &self,
        ctx: &ProviderData,
        _config: &crate::framework::Obj,
    ) -> Result<Opened, OpError> {
        // The endpoint first: a failure then leaves no key pair behind.
        let endpoint = s3_url(api::s3_info(&ctx.client).await.map_err(storage_err)?)?;
        let key = api::create_key(&ctx.client).await.map_err(storage_err)?;
        Ok(Opened {
            result: obj! {
                ACCESS_KEY => key.access_key.clone(),
                "secret_key" => key.secret_key.expose().to_owned(),
                "endpoint" => endpoint,
                "user_id" => Dyn::non_empty_str(&key.user_id),
            },
            private: Dyn::Object(obj! { ACCESS_KEY => key.access_key }),
            renew_at: None,
        })
    }

    async fn close(&self, ctx: &ProviderData, private: &Dyn) -> Result<(), OpError> {
        let Some(access_key) = private.get(ACCESS_KEY).as_str() else {
            return Ok(());
        };
        api::delete_key(&ctx.client, access_key)
            .await
            .ok_if_not_found()
            .map_err(|e| {
                storage_err(e).detail(format!(
                    "The key pair with access key {access_key} was generated for this run and is \
                 left behind: delete it outside Terraform (DELETE /v1/storage/user/keys)."
                ))
            })
    }
}
