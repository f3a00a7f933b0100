//! `ephemeral "idcloudhost_service_package_credentials"`: the connection details
//! of a managed database, its password included, read when Terraform opens it
//! and never stored: from the package (address, port, user, engine) and its
//! secrets (`GET .../package/{uuid}/secrets`).

use async_trait::async_trait;

use crate::api::service as api;
use crate::api::Feature;
use crate::context::ProviderData;
use crate::framework::resource::LOCATION;
use crate::framework::{
    non_empty, Attr, Dyn, EphemeralResourceType, Obj, OpError, Opened, SchemaSpec, Ty, Validator,
};
use crate::obj;
use crate::resources::service_package::package_location;

pub struct ServicePackageCredentials;

const UUID: &str = "service_uuid";

/// The database a package's administrator connects to: the engine's own default
/// database (the API creates no other and reports no name).
fn default_database(service: &str) -> Option<&'static str> {
    match service.to_ascii_lowercase().as_str() {
        "postgresql" | "postgres" => Some("postgres"),
        _ => None,
    }
}

#[async_trait]
impl EphemeralResourceType for ServicePackageCredentials {
    type Platform = ProviderData;
    const NAME: &'static str = "service_package_credentials";
    const FEATURE: Option<Feature> = Some(Feature::ServicePackages);

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new(
            "The connection details and password of a managed database (`idcloudhost_service_package`), \
             read when Terraform opens it and never written to the plan or the state: for \
             configuring a database provider or a write-only argument. Not available on elastis.id.",
        )
        .attr(
            Attr::required(UUID, Ty::String)
                .desc("The service package's uuid (`idcloudhost_service_package.<name>.id`).")
                .validate(Validator::NotEmpty),
        )
        .attr(
            Attr::optional_computed(LOCATION, Ty::String)
                .desc("The location the package runs in. When set, the package must be there (a check); when unset, the package's own location is returned.")
                .validate(Validator::NotEmpty),
        )
        .attr(Attr::computed("host", Ty::String).desc(
            "Address of the service on the account's default network of its location.",
        ))
        .attr(Attr::computed("port", Ty::Number).desc("TCP port of the service (5432 for PostgreSQL)."))
        .attr(Attr::computed("username", Ty::String).desc("The database administrator user."))
        .attr(
            Attr::computed("password", Ty::String)
                .desc("Password of `username`, from the package's secrets.")
                .sensitive(),
        )
        .attr(Attr::computed("database", Ty::String).desc(
            "The database to connect to: the engine's default database (`postgres` for PostgreSQL); the API creates no other.",
        ))
    }

    async fn open(&self, ctx: &ProviderData, config: &Obj) -> Result<Opened, OpError> {
        let uuid = config[UUID].as_str().unwrap_or_default();
        let wanted = match config[LOCATION].as_str() {
            Some(slug) => Some(ctx.resolve_location(Some(slug)).await?),
            None => None,
        };
        let package = api::find(&ctx.client, uuid).await?.ok_or_else(|| {
            OpError::new(format!("Service package {uuid:?} not found"))
                .detail("No managed service package of this account has that uuid (it may have been deleted).")
                .at(UUID)
        })?;
        let location = package_location(&package).map(str::to_owned);
        if let (Some(wanted), Some(actual)) = (&wanted, &location) {
            if wanted != actual {
                return Err(OpError::new(format!(
                    "Service package {uuid:?} is in {actual:?}, not in {wanted:?}"
                ))
                .detail("Set location to the package's location, or leave it unset.")
                .at(LOCATION));
            }
        }
        let secrets = api::secrets(&ctx.client, &package.uuid).await?;
        let p = &package.properties;
        Ok(Opened {
            result: obj! {
                LOCATION => Dyn::opt_str(location),
                "host" => Dyn::opt_str(non_empty(&p.service_ip)),
                "port" => if p.port != 0 { Dyn::int(p.port) } else { Dyn::Null },
                "username" => Dyn::opt_str(non_empty(&p.sql_user)),
                "password" => Dyn::opt_str(non_empty(secrets.sql_pass.expose())),
                "database" => Dyn::opt_str(default_database(&package.service)),
            },
            // Nothing to clean up: reading made nothing.
            private: Dyn::Null,
            renew_at: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgresql_connects_to_its_default_database() {
        assert_eq!(default_database("postgresql"), Some("postgres"));
        assert_eq!(default_database("mongodb"), None);
    }
}
