//! `idcloudhost_s3_endpoint`: the URL of the platform's S3 API.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::api::models::storage::S3ApiInfo;
use crate::api::storage as api;
use crate::context::{ProviderData, Shared};
use crate::framework::{Attr, DataSourceType, DynamicDataSource, OpError, SchemaSpec, Ty};

/// The data source types this module defines.
pub fn data_sources(shared: &Shared) -> Vec<(String, Box<dyn DynamicDataSource>)> {
    vec![super::register(S3Endpoint, shared)]
}

pub struct S3Endpoint;

/// The object of `idcloudhost_s3_endpoint`.
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct S3EndpointState {
    pub id: Option<String>,
    pub url: Option<String>,
}

#[async_trait]
impl DataSourceType for S3Endpoint {
    type Platform = ProviderData;
    const NAME: &'static str = "s3_endpoint";
    type State = S3EndpointState;

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new(
            "The URL of the platform's S3 API, for S3 clients working with the account's buckets.",
        )
        .attr(Attr::computed("id", Ty::String).desc("The S3 API URL."))
        .attr(Attr::computed("url", Ty::String).desc(
            "The S3 API URL as the API reports it (e.g. `https://s3.idcloudhost.com:8080/`).",
        ))
    }

    async fn read(
        &self,
        ctx: &ProviderData,
        _config: S3EndpointState,
    ) -> Result<S3EndpointState, OpError> {
        let url = s3_url(api::s3_info(&ctx.client).await?)?;
        Ok(S3EndpointState {
            id: Some(url.clone()),
            url: Some(url),
        })
    }
}

/// The URL of the platform's S3 API from its answer to `GET storage/api/s3`, an
/// answer without one an error: what this data source reports, and what the
/// ephemeral `idcloudhost_s3_credential` returns with its key pair as
/// `endpoint`, read the same way for both.
pub(crate) fn s3_url(info: S3ApiInfo) -> Result<String, OpError> {
    if info.url.trim().is_empty() {
        return Err(OpError::new("The API returned no S3 URL")
            .detail("GET /v1/storage/api/s3 answered without a `url`."));
    }
    Ok(info.url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_s3_url_is_the_apis_and_an_answer_without_one_is_an_error() {
        let info = |url: &str| S3ApiInfo {
            url: url.to_owned(),
        };
        assert_eq!(
            s3_url(info("https://s3.example:8080/")).unwrap(),
            "https://s3.example:8080/"
        );
        for blank in ["", "  "] {
            let err = s3_url(info(blank)).unwrap_err();
            assert_eq!(err.summary, "The API returned no S3 URL");
        }
    }
}
