use super::*;
use crate::framework::platform::TestPlatform;
use crate::framework::schema::write_only_version;
use crate::framework::schema::{Attr, SchemaSpec, Ty};
use crate::framework::typed::NoChecks;
use crate::framework::value::{Dyn, Obj};
use crate::obj;
use std::collections::BTreeSet;

/// A resource with a stored password and its write-only replacement.
struct Login;

#[derive(serde::Serialize, serde::Deserialize)]
struct LoginState {
    id: Option<String>,
    password: Option<String>,
    password_wo: Option<String>,
    password_wo_version: Option<i64>,
}

#[async_trait]
impl ResourceType for Login {
    type Platform = TestPlatform;
    const NAME: &'static str = "login";
    type State = LoginState;
    type Config = NoChecks;

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("t")
            .attr(Attr::computed("id", Ty::String))
            .attr(Attr::optional("password", Ty::String).sensitive())
            .attr(
                Attr::optional("password_wo", Ty::String)
                    .write_only("password_wo_version")
                    .instead_of("password"),
            )
            .attr(write_only_version("password_wo_version", "password_wo"))
    }

    async fn create(&self, _: &TestPlatform, _: LoginState) -> Result<LoginState, OpError> {
        unreachable!()
    }
    async fn read(&self, _: &TestPlatform, _: LoginState) -> Result<Option<LoginState>, OpError> {
        unreachable!()
    }
    async fn delete(&self, _: &TestPlatform, _: &LoginState) -> Result<(), OpError> {
        unreachable!()
    }
    async fn import(&self, _: &TestPlatform, _: &str) -> Result<LoginState, OpError> {
        unreachable!()
    }
}

fn login() -> Managed<Login> {
    Managed::new(Login, Shared::default())
}

#[test]
fn the_state_struct_has_the_write_only_attributes_too() {
    assert_eq!(
        super::super::typed::state_fields_match::<LoginState>(&Login.schema()),
        Ok(())
    );
}

const NEW_TERRAFORM: ClientCapabilities = ClientCapabilities {
    write_only_attributes: true,
};

fn attrs(errors: &[OpError]) -> Vec<&str> {
    errors.iter().map(|e| e.attr.as_str()).collect()
}

#[test]
fn write_only_attributes_are_configurable_and_never_stored() {
    let spec = login().spec;
    let attr = spec.attr_spec("password_wo").unwrap();
    assert!(attr.write_only.is_some() && attr.is_configurable() && !attr.is_computed());
    let version = spec.attr_spec("password_wo_version").unwrap();
    assert!(version.write_only.is_none() && version.not_read_back);
    let shaped = spec.normalize(obj! {
        "password_wo" => "Secret123",
        "password_wo_version" => 2,
    });
    assert_eq!(shaped["password_wo"], Dyn::Null);
    assert_eq!(shaped["password_wo_version"], Dyn::from(2));
}

#[test]
fn write_only_needs_a_terraform_that_does_not_store_it() {
    let managed = login();
    let config = obj! { "password_wo" => "Secret123", "password_wo_version" => 1 };
    assert!(managed.check_write_only(&config, NEW_TERRAFORM).is_empty());
    let errors = managed.check_write_only(&config, ClientCapabilities::default());
    assert_eq!(attrs(&errors), ["password_wo"]);
    assert_eq!(
        errors[0].summary,
        "password_wo needs Terraform 1.11 or later"
    );
    assert!(errors[0].detail.contains("use password instead"));
    // Unset, it is no problem for older Terraform.
    let stored = obj! { "password" => "Secret123", "password_wo" => Dyn::Null };
    assert!(managed
        .check_write_only(&stored, ClientCapabilities::default())
        .is_empty());
    // Unknown until apply still means configured.
    let unknown = obj! { "password_wo" => Dyn::Unknown };
    assert_eq!(
        attrs(&managed.check_write_only(&unknown, ClientCapabilities::default())),
        ["password_wo"]
    );
}

#[test]
fn write_only_conflicts_with_the_stored_attribute_it_replaces() {
    let errors = login().check_write_only(
        &obj! { "password" => "Secret123", "password_wo" => "Other123" },
        NEW_TERRAFORM,
    );
    assert_eq!(attrs(&errors), ["password_wo"]);
    assert_eq!(errors[0].summary, "password and password_wo conflict");
}

#[test]
fn a_version_needs_its_write_only_value() {
    let errors = login().check_write_only(&obj! { "password_wo_version" => 1 }, NEW_TERRAFORM);
    assert_eq!(attrs(&errors), ["password_wo_version"]);
    assert_eq!(
        errors[0].summary,
        "password_wo_version is set without password_wo"
    );
}

#[test]
fn write_only_values_reach_a_create_and_an_update_that_changes_their_version() {
    let managed = login();
    let config = obj! { "password_wo" => "Secret123", "password_wo_version" => 2 };
    let planned = obj! { "id" => "a", "password_wo" => Dyn::Null, "password_wo_version" => 2 };
    let created = managed.with_write_only(planned.clone(), &config, None);
    assert_eq!(created["password_wo"], Dyn::str("Secret123"));

    let bumped = obj! { "id" => "a", "password_wo_version" => 1 };
    let updated = managed.with_write_only(planned.clone(), &config, Some(&bumped));
    assert_eq!(updated["password_wo"], Dyn::str("Secret123"));

    // Any other update leaves it out: Terraform cannot say it changed.
    let same = obj! { "id" => "a", "password_wo_version" => 2 };
    let updated = managed.with_write_only(planned, &config, Some(&same));
    assert_eq!(updated["password_wo"], Dyn::Null);
}

/// A resource built from a source that only matters at creation.
struct Copy;

#[derive(serde::Serialize, serde::Deserialize)]
struct CopyState {
    id: Option<String>,
    name: Option<String>,
    source: Option<String>,
}

#[async_trait]
impl ResourceType for Copy {
    type Platform = TestPlatform;
    const NAME: &'static str = "copy";
    type State = CopyState;
    type Config = NoChecks;

    fn schema(&self) -> SchemaSpec {
        SchemaSpec::new("t")
            .attr(Attr::computed("id", Ty::String))
            .attr(Attr::required("name", Ty::String))
            .attr(Attr::optional("source", Ty::String).create_only())
    }

    async fn create(&self, _: &TestPlatform, _: CopyState) -> Result<CopyState, OpError> {
        unreachable!()
    }
    async fn read(&self, _: &TestPlatform, _: CopyState) -> Result<Option<CopyState>, OpError> {
        unreachable!()
    }
    async fn delete(&self, _: &TestPlatform, _: &CopyState) -> Result<(), OpError> {
        unreachable!()
    }
    async fn import(&self, _: &TestPlatform, _: &str) -> Result<CopyState, OpError> {
        unreachable!()
    }
}

fn plan_of(prior: Obj, planned: Obj) -> Plan {
    Plan {
        prior: Some(prior),
        config: planned.clone(),
        planned,
        replace: BTreeSet::new(),
    }
}

#[tokio::test]
async fn a_create_only_value_that_changes_keeps_the_prior_one_and_warns() {
    let managed = Managed::new(Copy, Shared::default());
    let prior = obj! { "id" => "a", "name" => "x", "source" => "snap-1" };
    for new in [Dyn::Unknown, Dyn::str("snap-2")] {
        let mut plan = plan_of(
            prior.clone(),
            obj! { "id" => "a", "name" => "x", "source" => new },
        );
        let ((), warnings) =
            collecting(async { managed.keep_create_only(&mut plan, &prior) }).await;
        assert_eq!(plan.planned("source"), &Dyn::str("snap-1"));
        assert!(plan.replace.is_empty());
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].attr, "source");
        assert_eq!(
            warnings[0].summary,
            "source changed, but it is only used when the copy is created"
        );
        assert!(warnings[0].detail.contains("\"snap-1\""));
    }
    // Removed (or set after an import): recorded, silently.
    let mut plan = plan_of(
        prior.clone(),
        obj! { "id" => "a", "name" => "x", "source" => Dyn::Null },
    );
    let ((), warnings) = collecting(async { managed.keep_create_only(&mut plan, &prior) }).await;
    assert_eq!(plan.planned("source"), &Dyn::Null);
    assert!(warnings.is_empty());
    // Only a create-only value differs: the update only records it.
    let planned = obj! { "id" => "a", "name" => "x", "source" => Dyn::Null };
    assert!(managed.only_meta_changes(&prior, &planned));
    let state = managed.recorded(&planned, prior.clone());
    assert_eq!(state["source"], Dyn::Null);
    assert!(Copy
        .schema()
        .attr_spec("source")
        .unwrap()
        .full_description()
        .contains("terraform apply -replace"));
}

#[test]
fn write_only_values_never_reach_the_returned_state() {
    let managed = login();
    let prior = obj! { "id" => "a", "password_wo_version" => 1 };
    // Whatever the resource returns (here the value it was given).
    let returned = obj! { "id" => "a", "password_wo" => "Secret123" };
    let state = managed.carry_over(&prior, returned);
    assert_eq!(state["password_wo"], Dyn::Null);
    assert_eq!(state["password_wo_version"], Dyn::from(1));
}

#[test]
fn typed_plan_changes_write_back_only_what_changed() {
    let mut plan = Plan {
        prior: None,
        config: obj! { "id" => Dyn::Null, "name" => "x", "source" => Dyn::Null },
        planned: obj! { "id" => Dyn::Unknown, "name" => "x", "source" => Dyn::Unknown },
        replace: BTreeSet::new(),
    };
    let views = plan.typed::<CopyState>().unwrap();
    assert!(views.prior.is_none());
    assert_eq!(views.config.name.as_deref(), Some("x"));
    // Unknown reads as None in a plain Option...
    assert_eq!(views.planned.id, None);
    plan.update_planned(|planned: &mut CopyState| planned.name = Some("y".into()))
        .unwrap();
    // ...and stays unknown when the change leaves it alone.
    assert_eq!(
        plan.planned,
        obj! { "id" => Dyn::Unknown, "name" => "y", "source" => Dyn::Unknown }
    );
}
