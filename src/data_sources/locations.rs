//! `idcloudhost_locations`: the locations (data centres) the API offers.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::context::{ProviderData, Shared};
use crate::framework::{ty_of, Attr, DataSourceType, DynamicDataSource, OpError, SchemaSpec, Ty};

/// The data source types this module defines.
pub fn data_sources(shared: &Shared) -> Vec<(String, Box<dyn DynamicDataSource>)> {
    vec![super::register(Locations, shared)]
}

pub struct Locations;

/// The object of `idcloudhost_locations`.
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct LocationsState {
    pub id: Option<String>,
    pub locations: Option<Vec<Location>>,
    pub default_slug: Option<String>,
}

/// One of `locations`; its schema type is derived from it (`ty_of`).
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Location {
    pub slug: String,
    pub display_name: String,
    pub description: String,
    pub country_code: String,
    pub is_default: bool,
    pub is_preferred: bool,
    pub order_nr: i64,
}

#[async_trait]
impl DataSourceType for Locations {
    type Platform = ProviderData;
    const NAME: &'static str = "locations";
    type State = LocationsState;

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("Lists the locations (data centres) of the selected API.")
            .attr(Attr::computed("id", Ty::String).desc("Always `locations`."))
            .attr(
                Attr::computed("locations", Ty::list(ty_of::<Location>()))
                    .desc("Every location, in the API's order."),
            )
            .attr(
                Attr::computed("default_slug", Ty::String)
                    .desc("Slug of the account's default location (`is_default`)."),
            )
    }

    async fn read(
        &self,
        ctx: &ProviderData,
        _config: LocationsState,
    ) -> Result<LocationsState, OpError> {
        let locations = ctx.locations().await?;
        let default_slug = locations
            .iter()
            .find(|l| l.is_default)
            .map(|l| l.slug.clone());
        let locations = locations
            .into_iter()
            .map(|l| Location {
                slug: l.slug,
                display_name: l.display_name,
                description: l.description,
                country_code: l.country_code,
                is_default: l.is_default,
                is_preferred: l.is_preferred,
                order_nr: l.order_nr,
            })
            .collect();
        Ok(LocationsState {
            id: Some(Self::NAME.to_owned()),
            locations: Some(locations),
            default_slug,
        })
    }
}
