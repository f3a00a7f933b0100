//! Schema pieces and helpers every resource shares: `location`, `billing_account_id`,
//! import IDs, and the location of a state struct.

use crate::api::config;
use crate::context::ProviderData;
use crate::framework::resource::LOCATION;
use crate::framework::{from_state, required, Attr, OpError, Ty, Validator};
use crate::obj;
use crate::platform::BILLING_ACCOUNT;
use serde::de::DeserializeOwned;

/// `id`: what identifies the object (`desc` says which of its names it is),
/// reported by the API and never changed by an update. Every resource has one.
pub fn id_attr(desc: &str) -> Attr {
    Attr::computed("id", Ty::String).desc(desc).stable()
}

/// `location`: optional + computed, forces replacement. The framework resolves it at
/// plan time (resource, else provider, else account default) and validates it.
pub fn location_attr() -> Attr {
    Attr::optional_computed(LOCATION, Ty::String)
        .desc("Location slug (e.g. `jkt01`); defaults to the provider's `location`, else the account's default location.")
        .force_new()
        .stable()
        .validate(Validator::NotEmpty)
}

/// `billing_account_id`: optional + computed, updated in place. Defaults to the
/// provider's `billing_account_id`, else the account's default billing account.
pub fn billing_account_attr() -> Attr {
    Attr::optional_computed(BILLING_ACCOUNT, Ty::Number)
        .desc("Billing account charged for the resource; defaults to the provider's `billing_account_id`, else the account's default billing account. An id that is not one of the account's billing accounts is a plan-time error.")
        .stable()
        .validate(Validator::IntRange(1, i64::MAX))
}

/// `name`: the object's name, required and not empty, changed in place (`desc`
/// says what names it; a resource adds the API's length limit, `max_chars`).
pub fn name_attr(desc: &str) -> Attr {
    Attr::required("name", Ty::String)
        .desc(desc)
        .validate(Validator::NotEmpty)
}

/// The schema version of the types community providers define under the same
/// names (`vm`, `floating_ip`, `network`, `firewall`): they store them at version
/// 0, which `crate::migrate::upgrade` converts; ours at 0 upgrade unchanged.
pub const COMMUNITY_NAMES_VERSION: i64 = 1;

/// The billing account an update moves the object to: the planned one when it
/// differs from the prior one, else `None` (the update leaves the billing as it is).
pub fn billing_change(prior: Option<i64>, planned: Option<i64>) -> Option<i64> {
    planned.filter(|_| prior != planned)
}

/// The billing account a read reports: the API's, or the prior state's where the
/// answer names none (0: some answers leave it out).
pub fn reported_billing(reported: i64, prior: Option<i64>) -> Option<i64> {
    if reported > 0 {
        Some(reported)
    } else {
        prior
    }
}

/// The name an update renames the object to: the planned one when it differs
/// from the prior one, else `None` (the update leaves the name as it is). The
/// same rule as `billing_change`, for the required `name` of `name_attr`.
pub fn name_change<'a>(
    prior: &Option<String>,
    planned: &'a Option<String>,
) -> Result<Option<&'a str>, OpError> {
    (prior != planned)
        .then(|| required(planned, "name"))
        .transpose()
}

/// The error of an update that reads its object back and finds it gone: `what`
/// names the object (`The network`, `Bucket "logs"`).
pub fn gone_during_update(what: &str) -> OpError {
    OpError::new(format!("{what} disappeared during the update"))
}

/// VMs named for a message: `VM "web-1" (uuid)`, or `VM uuid` for one the
/// location's VM list does not show.
pub async fn vm_labels(
    ctx: &ProviderData,
    location: &str,
    uuids: &[&str],
) -> Result<Vec<String>, OpError> {
    let vms = crate::api::vm::list(&ctx.client, location).await?;
    Ok(uuids
        .iter()
        .map(
            |uuid| match vms.iter().find(|vm| vm.uuid.eq_ignore_ascii_case(uuid)) {
                Some(vm) => format!("VM {:?} ({uuid})", vm.name),
                None => format!("VM {uuid}"),
            },
        )
        .collect())
}

/// `created_at`: opaque timestamp string as the API reports it.
pub fn created_at_attr() -> Attr {
    Attr::computed("created_at", Ty::String)
        .desc("When the resource was created, as the API reports it.")
        .stable()
}

/// Plan-time check that `uuid` is a private network of `location`, so a wrong
/// `attr` fails the plan (naming the location's networks) instead of the apply.
pub async fn check_network_uuid(
    ctx: &ProviderData,
    location: &str,
    uuid: &str,
    attr: &str,
) -> Result<(), OpError> {
    let networks = crate::api::network::list(&ctx.client, location).await?;
    if networks.iter().any(|n| n.uuid == uuid) {
        return Ok(());
    }
    let known: Vec<String> = networks
        .iter()
        .map(|n| format!("{} ({})", n.uuid, n.name))
        .collect();
    let known = its("networks", &known);
    Err(OpError::invalid(
        attr,
        format!("{uuid:?} is not a private network of location {location}; {known}."),
    ))
}

/// What a "no such X" message says its owner has instead: `it has none`, or
/// `its <what>: a, b`.
pub fn its(what: &str, known: &[String]) -> String {
    if known.is_empty() {
        "it has none".to_owned()
    } else {
        format!("its {what}: {}", known.join(", "))
    }
}

/// Plan-time check that `os_name` (and `os_version`, when given) is a published
/// image of the API's catalogue (`config/vm_images`). The message lists what is
/// available; `attrs` names the attributes for the name and the version.
pub async fn check_image(
    ctx: &ProviderData,
    os_name: &str,
    os_version: Option<&str>,
    attrs: (&str, &str),
) -> Result<(), OpError> {
    let images = config::vm_images(&ctx.client, "all").await?;
    let Some(image) = images.iter().find(|i| i.os_name == os_name) else {
        let known: Vec<&str> = images.iter().map(|i| i.os_name.as_str()).collect();
        return Err(OpError::invalid(
            attrs.0,
            format!(
                "{os_name:?} is not an image of this API; known: {}.",
                known.join(", ")
            ),
        ));
    };
    if let Some(version) = os_version {
        let published: Vec<&str> = image
            .versions
            .iter()
            .filter(|v| v.published)
            .map(|v| v.os_version.as_str())
            .collect();
        if !published.contains(&version) {
            return Err(OpError::invalid(
                attrs.1,
                format!(
                    "{os_name} has no published version {version:?}; available: {}.",
                    published.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// A uuid as the API writes them (`8-4-4-4-12` hex digits).
pub fn uuid_validator() -> Validator {
    Validator::Pattern(
        "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
        "a UUID",
    )
}

/// At most `max` characters (the API's limit for a name).
pub fn max_chars(max: usize) -> Validator {
    Validator::custom(move |value| match value.as_str() {
        Some(text) if text.chars().count() > max => Err(format!(
            "{} characters is too long: the API takes at most {max}.",
            text.chars().count()
        )),
        _ => Ok(()),
    })
}

/// What a cross-resource reference (`vm_uuid`, `disk_uuid`, `firewall_uuid`) points at.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Referenced {
    Vm,
    Disk,
    Firewall,
}

impl Referenced {
    fn noun(self) -> &'static str {
        match self {
            Referenced::Vm => "VM",
            Referenced::Disk => "Disk",
            Referenced::Firewall => "Firewall",
        }
    }

    async fn exists(self, ctx: &ProviderData, location: &str, uuid: &str) -> Result<bool, OpError> {
        Ok(match self {
            Referenced::Vm => crate::api::vm::find(&ctx.client, location, uuid)
                .await?
                .is_some(),
            Referenced::Disk => crate::api::disk::find(&ctx.client, location, uuid)
                .await?
                .is_some(),
            Referenced::Firewall => crate::api::firewall::find(&ctx.client, location, uuid)
                .await?
                .is_some(),
        })
    }
}

/// Plan-time check that attribute `attr` refers to an existing VM or disk of
/// `location`. One in another location is named with where it is (`is in jkt02,
/// the VM is in jkt01`), rather than left to the API's "No such storage".
/// `location_of_what` says whose location `location` is ("the VM", "this attachment").
pub async fn check_reference(
    ctx: &ProviderData,
    attr: &str,
    kind: Referenced,
    uuid: &str,
    location: &str,
    location_of_what: &str,
) -> Result<(), OpError> {
    if kind.exists(ctx, location, uuid).await? {
        return Ok(());
    }
    let noun = kind.noun();
    for other in ctx.locations().await? {
        if other.slug != location && kind.exists(ctx, &other.slug, uuid).await? {
            return Err(OpError::invalid(
                attr,
                format!(
                    "{noun} {uuid} is in {}, {location_of_what} is in {location}: both must be in the same location.",
                    other.slug
                ),
            ));
        }
    }
    Err(OpError::invalid(
        attr,
        format!("{noun} {uuid} does not exist (in {location} or any other location)."),
    ))
}

/// The location and UUID (`location`, `id`) a state of an object of a location
/// is kept by: where its delete and its `blocked_by` (delete-when-unblocked) start.
pub fn location_and_id<'a>(
    location: &'a Option<String>,
    id: impl Into<Option<&'a String>>,
) -> Result<(&'a str, &'a str), OpError> {
    Ok((located(location)?, required(id, "id")?))
}

/// A state's `location` (always resolved at plan time for location-scoped
/// resources). With `framework::required` (an `id`, a required argument), the one
/// way to get what an operation cannot do without from a state struct.
pub fn located(location: &Option<String>) -> Result<&str, OpError> {
    location
        .as_deref()
        .ok_or_else(|| OpError::new("The state has no location"))
}

/// The import ID of an object of a location (see `parse_import_id`): its
/// location, the default one where the ID names none, and its pieces.
pub async fn parse_located_import_id(
    ctx: &ProviderData,
    id: &str,
    parts: &[&str],
) -> Result<(String, Vec<String>), OpError> {
    let (location, pieces) = parse_import_id(id, parts, true)?;
    Ok((ctx.resolve_location(location.as_deref()).await?, pieces))
}

/// The import of an object of a location named by its uuid (import ID
/// `[<location>/]<uuid>`, the default `Identity::ID`): the resource's state struct
/// `S` with only its `id` and `location`, from which `read` fills in the rest.
/// Written once for the resources whose import is nothing more.
pub async fn import_uuid<S: DeserializeOwned>(ctx: &ProviderData, id: &str) -> Result<S, OpError> {
    let (location, mut parts) = parse_located_import_id(ctx, id, &["uuid"]).await?;
    from_state(&obj! { "id" => parts.remove(0), LOCATION => location })
}

/// The import of a global object named by its uuid (see `global_import_id`;
/// `expected` says what the ID is): the resource's state struct `S` with only its
/// `id`, from which `read` fills in the rest.
pub fn import_global_uuid<S: DeserializeOwned>(id: &str, expected: &str) -> Result<S, OpError> {
    from_state(&obj! { "id" => global_import_id(id, expected)? })
}

/// The import ID of a global object: one piece, no location; `expected` says
/// what it is when it is not.
pub fn global_import_id<'a>(id: &'a str, expected: &str) -> Result<&'a str, OpError> {
    if id.is_empty() || id.contains('/') {
        return Err(OpError::new(format!("Invalid import ID {id:?}")).detail(expected));
    }
    Ok(id)
}

/// Splits an import ID of `parts` slash-separated pieces, optionally prefixed with a
/// location: `<a>` or `<location>/<a>` for one part, `<location>/<a>/<b>` for two.
/// Returns the location (if given) and the pieces.
pub fn parse_import_id(
    id: &str,
    parts: &[&str],
    location_scoped: bool,
) -> Result<(Option<String>, Vec<String>), OpError> {
    let pieces: Vec<&str> = id.split('/').collect();
    let expected = || {
        let body = parts
            .iter()
            .map(|p| format!("<{p}>"))
            .collect::<Vec<_>>()
            .join("/");
        if location_scoped {
            format!("{body} or <location>/{body}")
        } else {
            body
        }
    };
    let bad = || {
        OpError::new(format!("Invalid import ID {id:?}"))
            .detail(format!("Expected {}.", expected()))
    };
    if pieces.iter().any(|p| p.trim().is_empty()) {
        return Err(bad());
    }
    let owned = |ps: &[&str]| ps.iter().map(|p| p.trim().to_owned()).collect::<Vec<_>>();
    if pieces.len() == parts.len() {
        Ok((None, owned(&pieces)))
    } else if location_scoped && pieces.len() == parts.len() + 1 {
        Ok((Some(pieces[0].trim().to_owned()), owned(&pieces[1..])))
    } else {
        Err(bad())
    }
}

/// Before a create: when the account already holds objects of this type with the
/// name about to be used (`listed`: the type's objects, each as its name and its
/// id), says so in a warning. Such an object may be one that an earlier apply made
/// without learning of it (its answer lost, its lookups failed until the
/// deadline): the user is told to import it rather than keep two, never left to
/// find a silent duplicate.
pub(crate) fn warn_same_named<N: AsRef<str>>(
    kind: &str,
    name: &str,
    listed: impl IntoIterator<Item = (N, String)>,
) {
    let existing: Vec<String> = listed
        .into_iter()
        .filter(|(named, _)| named.as_ref() == name)
        .map(|(_, id)| id)
        .collect();
    if existing.is_empty() {
        return;
    }
    let (one, ids) = (existing.len() == 1, existing.join(", "));
    crate::framework::warn(
        OpError::new(format!("Another {kind} is already named {name:?}")).detail(format!(
            "The account already has {} {kind}{} named {name:?} ({ids}); a new one is created with the same name. If {} left by an earlier apply that failed (an answer from the API was lost), it is in no Terraform state: import it (terraform import) and remove the new one, rather than keep two.",
            if one { "a" } else { "other" },
            if one { "" } else { "s" },
            if one { "that one was" } else { "one of them was" },
        )),
    );
}

/// The provider's data for a unit test of a resource: a client of the API at
/// `url` (whose host names the brand) and no provider-level defaults. Building it
/// sends no request.
#[cfg(test)]
pub(crate) fn test_ctx(url: &str) -> ProviderData {
    ProviderData {
        client: crate::api::ApiClient::new(crate::api::ClientConfig::new(url, "k")).unwrap(),
        default_location: None,
        default_billing_account: None,
        pricing: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_ids() {
        let (loc, parts) = parse_import_id("abc", &["uuid"], true).unwrap();
        assert_eq!((loc, parts), (None, vec!["abc".to_owned()]));
        let (loc, parts) = parse_import_id("jkt02/abc", &["uuid"], true).unwrap();
        assert_eq!(loc.as_deref(), Some("jkt02"));
        assert_eq!(parts, vec!["abc"]);
        let (loc, parts) =
            parse_import_id("jkt01/fw/vm", &["firewall_uuid", "vm_uuid"], true).unwrap();
        assert_eq!(loc.as_deref(), Some("jkt01"));
        assert_eq!(parts, vec!["fw", "vm"]);
        let err = parse_import_id("a/b/c", &["uuid"], true).unwrap_err();
        assert!(err.detail.contains("<uuid> or <location>/<uuid>"));
        assert!(parse_import_id("jkt01/", &["uuid"], true).is_err());
        assert!(parse_import_id("x/y", &["name"], false).is_err());
    }

    #[test]
    fn imported_global_state_has_only_its_id() {
        use crate::resources::ssh_key::SshKeyState;
        let state: SshKeyState = import_global_uuid("abc", "Expected a uuid.").unwrap();
        assert_eq!(
            state,
            SshKeyState {
                id: Some("abc".into()),
                ..SshKeyState::default()
            }
        );
        let err = import_global_uuid::<SshKeyState>("jkt01/abc", "Expected a uuid.").unwrap_err();
        assert_eq!(err.detail, "Expected a uuid.");
    }

    #[tokio::test]
    async fn warns_of_the_listed_objects_of_the_same_name_only() {
        use crate::framework::warnings::collecting;
        let listed = [("web", "1"), ("db", "2"), ("web", "3")];
        let listed = || listed.map(|(name, id)| (name, id.to_owned()));
        let ((), warnings) = collecting(async { warn_same_named("VM", "web", listed()) }).await;
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].summary, r#"Another VM is already named "web""#);
        assert!(
            warnings[0]
                .detail
                .contains("other VMs named \"web\" (1, 3)"),
            "{}",
            warnings[0].detail
        );
        let ((), warnings) = collecting(async { warn_same_named("VM", "api", listed()) }).await;
        assert!(warnings.is_empty());
    }

    #[test]
    fn renames_only_to_another_name() {
        let name = |n: &str| Some(n.to_owned());
        assert_eq!(name_change(&name("a"), &name("b")).unwrap(), Some("b"));
        assert_eq!(name_change(&name("a"), &name("a")).unwrap(), None);
        assert_eq!(name_change(&None, &name("a")).unwrap(), Some("a"));
        let err = name_change(&name("a"), &None).unwrap_err();
        assert_eq!(
            (err.summary.as_str(), err.attr.as_str()),
            ("name is not set", "name")
        );
    }

    #[test]
    fn billing_changes_only_to_another_account() {
        assert_eq!(billing_change(Some(1), Some(2)), Some(2));
        assert_eq!(billing_change(Some(1), Some(1)), None);
        assert_eq!(billing_change(None, Some(1)), Some(1));
        assert_eq!(billing_change(Some(1), None), None);
    }

    #[test]
    fn a_read_without_a_billing_account_keeps_the_prior_one() {
        assert_eq!(reported_billing(2, Some(1)), Some(2));
        assert_eq!(reported_billing(0, Some(1)), Some(1));
        assert_eq!(reported_billing(0, None), None);
    }
}
