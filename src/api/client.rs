//! The HTTP client every resource and data source uses: authentication, location
//! routing, per-endpoint body encoding, retries, error classification, and a
//! per-process cache of list responses.

use std::any::{Any, TypeId};
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use rand::Rng;
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE, RETRY_AFTER, USER_AGENT};
use reqwest::Method;
use serde::de::DeserializeOwned;

use super::error::{ApiError, ErrorKind, NotFoundExt};
use super::models::Identified;
use super::secret::Secret;
use crate::cancel::{
    fresh_lists, lists_fresh, Cancel, Waited, DEADLINE, DEADLINE_GRACE, INTERRUPTED,
};
use crate::logging::{self, Level, MODULE_API};

/// Everything but the RFC 3986 unreserved characters is escaped, so a space is
/// `%20` (the live API corrupts `+`-encoded spaces in cloud-init and SSH keys).
const FORM_ESCAPE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub const DEFAULT_API_URL: &str = "https://api.idcloudhost.com";

/// The three published generations of the platform's API, one per brand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Generation {
    /// IDCloudHost: everything, including SSH keys.
    Newest,
    /// 3nv.io: firewalls, managed services, boot images; no SSH keys API.
    Middle,
    /// elastis.id: no firewalls, managed services, boot images or SSH keys.
    Oldest,
}

/// What some API generations lack, each with what the user writes to use it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feature {
    SshKeys,
    Firewalls,
    ServicePackages,
    BootImages,
    BootIsoMedia,
    /// `POST /vm/rescue_start`: the oldest generation's boot into a rescue image.
    RescueStart,
    /// Several `public_keys` at VM creation (older generations take one `public_key`).
    VmPublicKeys,
    /// Disk `display_name` (the disk's `name`).
    DiskDisplayName,
    /// Disk `read_only_bootable`.
    ReadOnlyBootableDisks,
    /// A VM created with an empty disk (`os_name = "_custom"`).
    EmptyDiskVms,
    /// Any cloud-init document, YAML or JSON with any keys (the oldest generation
    /// takes JSON with `runcmd` and `write_files` only).
    FullCloudInit,
}

impl Feature {
    /// What the feature is, as the subject of "... are not available on ...".
    fn describe(self) -> &'static str {
        match self {
            Feature::SshKeys => "SSH keys",
            Feature::Firewalls => "firewalls",
            Feature::ServicePackages => "managed service packages",
            Feature::BootImages => "boot images",
            Feature::BootIsoMedia => "boots from an installation or rescue ISO",
            Feature::RescueStart => "boots into the platform's rescue image",
            Feature::VmPublicKeys => "several SSH public keys at VM creation",
            Feature::DiskDisplayName => "disk names",
            Feature::ReadOnlyBootableDisks => "read-only bootable disks",
            Feature::EmptyDiskVms => "VMs with an empty disk",
            Feature::FullCloudInit => {
                "cloud-init documents in YAML or with keys other than runcmd and write_files"
            }
        }
    }

    /// What the user writes to use the feature.
    fn used_as(self) -> &'static str {
        match self {
            Feature::SshKeys => "idcloudhost_ssh_key and a VM's ssh_key_ids",
            Feature::Firewalls => "idcloudhost_firewall and idcloudhost_firewall_attachment",
            Feature::ServicePackages => "idcloudhost_service_package",
            Feature::BootImages => "the idcloudhost_boot_images data source",
            Feature::BootIsoMedia => "POST /vm/boot_iso_media",
            Feature::RescueStart => "POST /vm/rescue_start",
            Feature::VmPublicKeys => "a VM's public_keys with more than one key",
            Feature::DiskDisplayName => "a disk's name (display_name)",
            Feature::ReadOnlyBootableDisks => "a disk's read_only_bootable",
            Feature::EmptyDiskVms => "a VM's os_name \"_custom\" (or no os_name)",
            Feature::FullCloudInit => "such a VM cloud_init",
        }
    }

    /// The brands whose API has the feature.
    pub fn brands(self) -> String {
        let names: Vec<String> = Generation::ALL
            .iter()
            .filter(|g| g.supports(self))
            .map(|g| format!("{} (brand = \"{}\")", g.brand(), g.brand_id()))
            .collect();
        names.join(" and ")
    }

    /// The error for using the feature on a generation that lacks it: names the brand,
    /// what cannot be used, and the brands that have it.
    pub fn unavailable(self, generation: Generation) -> String {
        format!(
            "{} are not available on {} (brand = \"{}\"): its API generation has no such endpoint or field, so {} cannot be used there. Available on {}.",
            capitalize(self.describe()),
            generation.brand(),
            generation.brand_id(),
            self.used_as(),
            self.brands()
        )
    }
}

impl Feature {
    /// The brands whose API lacks the feature, as values of `brand`.
    fn lacking_brand_values(self) -> String {
        let names: Vec<String> = Generation::ALL
            .iter()
            .filter(|g| !g.supports(self))
            .map(|g| format!("brand = \"{}\" ({})", g.brand_id(), g.brand()))
            .collect();
        names.join(" or ")
    }

    /// The feature a whole family of endpoints is, by its path under `/v1/` (after
    /// any location slug); `None` for endpoints every generation has.
    fn of_endpoint(path: &str) -> Option<Feature> {
        const FAMILIES: [(&str, Feature); 6] = [
            ("user-resource/ssh_keys", Feature::SshKeys),
            ("network/firewalls", Feature::Firewalls),
            ("user-resource/service/", Feature::ServicePackages),
            ("config/boot_images", Feature::BootImages),
            ("user-resource/vm/boot_iso_media", Feature::BootIsoMedia),
            ("user-resource/vm/rescue_start", Feature::RescueStart),
        ];
        FAMILIES
            .iter()
            .find(|(prefix, _)| path.starts_with(prefix))
            .map(|(_, feature)| *feature)
    }
}

impl Generation {
    pub const ALL: [Generation; 3] = [Generation::Newest, Generation::Middle, Generation::Oldest];

    /// The generation of a known API host; any other host (a reseller, a proxy, the
    /// simulator) is taken to speak the newest one unless the provider's `brand` says
    /// otherwise.
    pub fn from_url(url: &str) -> Generation {
        let host = url
            .split("://")
            .nth(1)
            .unwrap_or(url)
            .split(['/', ':'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if host.ends_with("elastis.id") {
            Generation::Oldest
        } else if host.ends_with("3nv.io") {
            Generation::Middle
        } else {
            Generation::Newest
        }
    }

    /// The generation named by the provider's `brand` (`idcloudhost`, `3nv`, `elastis`).
    pub fn from_brand_id(id: &str) -> Option<Generation> {
        Generation::ALL
            .into_iter()
            .find(|g| g.brand_id().eq_ignore_ascii_case(id.trim()))
    }

    /// The value of the provider's `brand` argument for this generation.
    pub fn brand_id(self) -> &'static str {
        match self {
            Generation::Newest => "idcloudhost",
            Generation::Middle => "3nv",
            Generation::Oldest => "elastis",
        }
    }

    pub fn brand(self) -> &'static str {
        match self {
            Generation::Newest => "IDCloudHost",
            Generation::Middle => "3nv.io",
            Generation::Oldest => "elastis.id",
        }
    }

    /// The brand's public API URL (the documents' examples).
    pub fn default_api_url(self) -> &'static str {
        match self {
            Generation::Newest => DEFAULT_API_URL,
            Generation::Middle => "https://api.3nv.io",
            Generation::Oldest => "https://api.elastis.id",
        }
    }

    /// Which generations have what, from the three documents: SSH keys and
    /// `public_keys` only in the newest (000); firewalls, service packages, boot
    /// images, `boot_iso_media`, disk `display_name`/`read_only_bootable`, `_custom`
    /// empty disks and free-form cloud-init in the newest and the middle (000, 002);
    /// the oldest (001) documents none of those, but alone has `rescue_start`.
    pub fn supports(self, feature: Feature) -> bool {
        match feature {
            Feature::SshKeys | Feature::VmPublicKeys => self == Generation::Newest,
            Feature::RescueStart => self == Generation::Oldest,
            Feature::Firewalls
            | Feature::ServicePackages
            | Feature::BootImages
            | Feature::BootIsoMedia
            | Feature::DiskDisplayName
            | Feature::ReadOnlyBootableDisks
            | Feature::EmptyDiskVms
            | Feature::FullCloudInit => self != Generation::Oldest,
        }
    }
}

/// Where an endpoint lives: global (`/v1/config/...`) or in one location
/// (`/v1/{slug}/...`).
#[derive(Clone, Copy, Debug)]
pub enum Loc<'a> {
    Global,
    At(&'a str),
}

// No Debug: a form body may hold a password.
#[derive(Clone)]
enum Body {
    None,
    Form(Vec<(String, String)>),
    Json(serde_json::Value),
}

/// Whether a failed request may be sent again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Repeat {
    /// Repeating has the same effect (GET, DELETE, PUT, PATCH): retried on 429,
    /// 502/503/504 and connection errors.
    Idempotent,
    /// May have taken effect (POST): retried only when the API refused it before
    /// doing anything (429) or the connection was never made.
    OnlyIfRefused,
}

#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub api_url: String,
    pub api_key: Secret,
    pub max_retries: u32,
    /// The API generation; `None` follows the host of `api_url`.
    pub generation: Option<Generation>,
    /// First backoff delay; doubled per attempt up to `max_backoff`.
    pub base_backoff: Duration,
    pub max_backoff: Duration,
    pub request_timeout: Duration,
    /// The provider's cancellation signal (Ctrl-C): every back-off and recovery
    /// wait of this client ends when it is triggered.
    pub cancel: Cancel,
    /// The `User-Agent` header (`crate::version::user_agent`).
    pub user_agent: String,
}

impl ClientConfig {
    pub fn new(api_url: impl Into<String>, api_key: impl Into<String>) -> Self {
        ClientConfig {
            api_url: api_url.into(),
            api_key: Secret::new(api_key),
            max_retries: 4,
            generation: None,
            base_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(15),
            // Writes are synchronous and slow (VM create ~35 s live); Terraform's own
            // deadline bounds an operation, not this.
            request_timeout: Duration::from_secs(600),
            cancel: Cancel::new(),
            user_agent: crate::version::user_agent(""),
        }
    }
}

/// A list response as fetched, with what was decoded from it: each view (the
/// decoded list, an index of it) is made once per fetch and shared, so a refresh
/// of N resources decodes its lists once, not once per resource.
struct FetchedList {
    bytes: Vec<u8>,
    views: Mutex<HashMap<(TypeId, &'static str), ViewCell>>,
}

type ViewCell = Arc<tokio::sync::OnceCell<Arc<dyn Any + Send + Sync>>>;
type CachedList = Arc<tokio::sync::OnceCell<Arc<FetchedList>>>;

impl FetchedList {
    /// The view `name` of type `V`, made by `make` from the bytes when first asked
    /// for (concurrent callers wait for the same one); a failure is not kept.
    async fn view<V: Any + Send + Sync>(
        &self,
        name: &'static str,
        make: impl FnOnce(&[u8]) -> Result<V, ApiError>,
    ) -> Result<Arc<V>, ApiError> {
        let cell = self
            .views
            .lock()
            .expect("cache lock")
            .entry((TypeId::of::<V>(), name))
            .or_default()
            .clone();
        let view = cell
            .get_or_try_init(|| async {
                make(&self.bytes).map(|v| Arc::new(v) as Arc<dyn Any + Send + Sync>)
            })
            .await?
            .clone();
        Ok(view
            .downcast::<V>()
            .unwrap_or_else(|_| unreachable!("a view is keyed by its type")))
    }
}

/// What a list held before this process's creates of its kind, plus what those
/// creates made: the objects a create's recovery must not take for the one its
/// lost request made. Taken once per process and list (one list call for a whole
/// wave of creates, not one per create) and kept while the only writes are these
/// creates with known outcomes; any other write (or a create whose outcome is not
/// known) drops it, so the next create lists anew.
pub struct Baseline<E> {
    listed: Arc<Vec<E>>,
    made: Mutex<Vec<E>>,
}

impl<E: Clone> Baseline<E> {
    /// The listed objects and those made since that `pred` holds for.
    pub fn matching(&self, pred: impl Fn(&E) -> bool) -> Vec<E> {
        let made = self.made.lock().expect("baseline lock");
        self.listed
            .iter()
            .chain(made.iter())
            .filter(|e| pred(e))
            .cloned()
            .collect()
    }

    /// Whether any listed or made object is one `pred` holds for.
    pub fn any(&self, pred: impl Fn(&E) -> bool) -> bool {
        self.listed.iter().any(&pred) || self.made.lock().expect("baseline lock").iter().any(pred)
    }

    /// Records what a create of this process made.
    pub fn record(&self, made: E) {
        self.made.lock().expect("baseline lock").push(made);
    }
}

type BaselineCell = Arc<tokio::sync::OnceCell<Arc<dyn Any + Send + Sync>>>;

/// A list's items indexed by keys of each item (the first item with a key wins,
/// as a search of the list would find it).
pub struct ListIndex<E> {
    items: Arc<Vec<E>>,
    by_key: HashMap<String, usize>,
}

impl<E> ListIndex<E> {
    pub fn get(&self, key: &str) -> Option<&E> {
        self.by_key.get(key).map(|&i| &self.items[i])
    }

    pub fn items(&self) -> &[E] {
        &self.items
    }
}

/// How long a request may take under the current deadline; `None` when a write
/// must not start any more.
fn time_left(method: &Method, base: Duration) -> Option<Duration> {
    let Ok(deadline) = DEADLINE.try_with(|d| *d) else {
        return Some(base);
    };
    let left = deadline.saturating_duration_since(Instant::now());
    if *method == Method::GET {
        Some((left + DEADLINE_GRACE).min(base))
    } else if left.is_zero() {
        None
    } else {
        Some(left.min(base))
    }
}

pub struct ApiClient {
    http: reqwest::Client,
    base_url: String,
    api_key: Secret,
    config: ClientConfig,
    generation: Generation,
    /// GET responses of list endpoints, shared by every resource refreshed in this
    /// process; emptied by any write.
    list_cache: Mutex<HashMap<String, CachedList>>,
    /// Lists no write of this provider changes (locations, billing accounts):
    /// fetched when first needed, once per process, shared by concurrent callers.
    once_lists: Mutex<HashMap<String, CachedList>>,
    /// The creates' baselines (`Baseline`), by list URL.
    baselines: Mutex<HashMap<String, BaselineCell>>,
    /// One lock per object that several resources of one run may write (see
    /// `exclusive`), by the key its API module names it with.
    object_locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

/// A turn at writing one object, held until dropped (`ApiClient::exclusive`).
pub struct Exclusive {
    _guard: tokio::sync::OwnedMutexGuard<()>,
    /// Whether another write to the object ran while this one waited: what was
    /// listed before it may be out of date.
    pub waited: bool,
}

impl std::fmt::Debug for ApiClient {
    // Never print the API key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiClient")
            .field("base_url", &self.base_url)
            .field("generation", &self.generation)
            .finish()
    }
}

impl ApiClient {
    pub fn new(config: ClientConfig) -> Result<Self, String> {
        let base_url = config.api_url.trim_end_matches('/').to_owned();
        if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
            return Err(format!(
                "api_url {:?} must start with https:// (or http:// for a local simulator)",
                config.api_url
            ));
        }
        let mut headers = HeaderMap::new();
        let user_agent = HeaderValue::from_str(&config.user_agent)
            .map_err(|_| format!("invalid User-Agent {:?}", config.user_agent))?;
        headers.insert(USER_AGENT, user_agent);
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .connect_timeout(Duration::from_secs(30))
            .timeout(config.request_timeout)
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        if config.api_key.is_empty() || HeaderValue::from_str(config.api_key.expose()).is_err() {
            return Err("api_key is empty or contains characters not allowed in a header".into());
        }
        Ok(ApiClient {
            http,
            generation: config
                .generation
                .unwrap_or_else(|| Generation::from_url(&base_url)),
            base_url,
            api_key: config.api_key.clone(),
            config,
            list_cache: Mutex::new(HashMap::new()),
            once_lists: Mutex::new(HashMap::new()),
            baselines: Mutex::new(HashMap::new()),
            object_locks: Mutex::new(HashMap::new()),
        })
    }

    pub fn generation(&self) -> Generation {
        self.generation
    }

    /// Waits for this process's turn at writing the object `key`: two resources
    /// of one run that act on the same object (a floating IP and its assignment,
    /// destroyed in parallel when nothing in the configuration orders them) take
    /// turns, so the second looks again after the first's write instead of
    /// sending the same one. The wait watches the cancellation signal.
    pub async fn exclusive(&self, key: &str) -> Result<Exclusive, ApiError> {
        let lock = Arc::clone(
            self.object_locks
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .entry(key.to_owned())
                .or_default(),
        );
        if let Ok(guard) = Arc::clone(&lock).try_lock_owned() {
            return Ok(Exclusive {
                _guard: guard,
                waited: false,
            });
        }
        tokio::select! {
            guard = lock.lock_owned() => Ok(Exclusive { _guard: guard, waited: true }),
            () = self.cancel().cancelled() => Err(ApiError::transport(
                "-",
                key,
                format!("{INTERRUPTED} for another write to {key} to end"),
            )),
        }
    }

    /// The cancellation signal every wait of this client watches.
    pub fn cancel(&self) -> &Cancel {
        &self.config.cancel
    }

    /// The same client watching `cancel` (the provider's own signal).
    pub fn with_cancel(mut self, cancel: Cancel) -> Self {
        self.config.cancel = cancel;
        self
    }

    /// Waits `wait` before a retry; an error saying so when the provider is
    /// stopped meanwhile.
    async fn pause(&self, wait: Duration, error: ApiError) -> Result<(), ApiError> {
        match self.config.cancel.sleep(wait).await {
            Waited::Elapsed => Ok(()),
            Waited::Cancelled => Err(error.note(format!("{INTERRUPTED}, not sent again"))),
        }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A clear error when the selected brand's API lacks `feature`, instead of a
    /// call to an endpoint that does not exist there.
    pub fn require(&self, feature: Feature) -> Result<(), ApiError> {
        if self.generation.supports(feature) {
            Ok(())
        } else {
            Err(ApiError::unsupported(feature.unavailable(self.generation)))
        }
    }

    fn require_all(&self, feature: Option<Feature>) -> Result<(), ApiError> {
        feature.map_or(Ok(()), |feature| self.require(feature))
    }

    /// An API's 404 "no route" means an unknown location slug only where the path
    /// has one and every generation has the endpoint. On a global endpoint, or on
    /// an endpoint family the selected brand should have, it means the API is
    /// another brand's generation: the error then says to set `brand`.
    fn explain_no_route(&self, e: ApiError, family: Option<Feature>, located: bool) -> ApiError {
        if e.kind != ErrorKind::UnknownLocation || (located && family.is_none()) {
            return e;
        }
        let assumed = format!(
            "the provider speaks the API generation of {} (brand = \"{}\")",
            self.generation.brand(),
            self.generation.brand_id()
        );
        let note = match family {
            Some(feature) => format!(
                "this API has no endpoint for {}, which {} has, and {assumed}: the API is probably another brand's, so set the provider's `brand` (or IDCLOUDHOST_BRAND) to {}",
                feature.describe(),
                feature.brands(),
                feature.lacking_brand_values(),
            ),
            None => format!(
                "this API has no such endpoint: {assumed}; if this API is another brand's, set the provider's `brand` (or IDCLOUDHOST_BRAND) to it: {}",
                Generation::ALL
                    .iter()
                    .filter(|g| **g != self.generation)
                    .map(|g| format!("brand = \"{}\" ({})", g.brand_id(), g.brand()))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        };
        ApiError {
            kind: ErrorKind::WrongBrand,
            ..e.note(note)
        }
    }

    pub fn request<'a>(&'a self, method: Method, loc: Loc<'_>, path: &str) -> RequestBuilder<'a> {
        let endpoint = path.trim_start_matches('/');
        let path = match loc {
            Loc::Global => format!("/v1/{}", path.trim_start_matches('/')),
            Loc::At(slug) => format!(
                "/v1/{}/{}",
                utf8_percent_encode(slug, FORM_ESCAPE),
                path.trim_start_matches('/')
            ),
        };
        let repeat = if method == Method::POST {
            Repeat::OnlyIfRefused
        } else {
            Repeat::Idempotent
        };
        RequestBuilder {
            client: self,
            method,
            path,
            query: Vec::new(),
            body: Body::None,
            repeat,
            family: Feature::of_endpoint(endpoint),
            located: matches!(loc, Loc::At(_)),
            keeps_baseline: None,
        }
    }

    pub fn get<'a>(&'a self, loc: Loc<'_>, path: &str) -> RequestBuilder<'a> {
        self.request(Method::GET, loc, path)
    }
    pub fn post<'a>(&'a self, loc: Loc<'_>, path: &str) -> RequestBuilder<'a> {
        self.request(Method::POST, loc, path)
    }
    pub fn put<'a>(&'a self, loc: Loc<'_>, path: &str) -> RequestBuilder<'a> {
        self.request(Method::PUT, loc, path)
    }
    pub fn patch<'a>(&'a self, loc: Loc<'_>, path: &str) -> RequestBuilder<'a> {
        self.request(Method::PATCH, loc, path)
    }
    pub fn delete<'a>(&'a self, loc: Loc<'_>, path: &str) -> RequestBuilder<'a> {
        self.request(Method::DELETE, loc, path)
    }

    /// `DELETE path` of one object, its answer ignored (200 or 204, with or without a
    /// body): the delete every endpoint module makes of its objects.
    pub async fn delete_object(&self, loc: Loc<'_>, path: &str) -> Result<(), ApiError> {
        self.delete(loc, path).send_empty().await
    }

    /// One object of a location's list `path`, by a key of the index `"uuid"`
    /// (`keys` makes it), else what `get` answers, `None` when the API says the
    /// object does not exist: the list serves a whole refresh with one call per
    /// location, and a single GET confirms before an object is declared gone.
    pub async fn find_listed<E>(
        &self,
        location: &str,
        path: &str,
        keys: fn(&E) -> Vec<String>,
        key: &str,
        get: RequestBuilder<'_>,
    ) -> Result<Option<E>, ApiError>
    where
        E: DeserializeOwned + Clone + Send + Sync + 'static,
    {
        let by_uuid = self
            .list_index(Loc::At(location), path, "uuid", keys)
            .await?;
        if let Some(found) = by_uuid.get(key) {
            return Ok(Some(found.clone()));
        }
        get.send::<E>().await.found()
    }

    /// A list endpoint's response, fetched once per process until the next write;
    /// always fetched anew inside `fresh_lists` (and then shared from there on).
    pub async fn list<T: DeserializeOwned>(&self, loc: Loc<'_>, path: &str) -> Result<T, ApiError> {
        let fetched = self.fetch_list(loc, path, &self.list_cache).await?;
        decode(&fetched.bytes, "GET", &self.path_of(path, loc))
    }

    /// As `list`, decoded once per fetch and shared by every caller until the next
    /// write: for the lists every refreshed resource looks into.
    pub async fn list_shared<T>(&self, loc: Loc<'_>, path: &str) -> Result<Arc<T>, ApiError>
    where
        T: DeserializeOwned + Send + Sync + 'static,
    {
        Ok(self.decoded(loc, path, &self.list_cache).await?.1)
    }

    /// The items of a list endpoint indexed by `keys` (each item's keys; `index`
    /// names the index, one per `keys` function), made once per fetch: a lookup of
    /// one resource among N costs O(1), not a decode of the whole list.
    pub async fn list_index<E>(
        &self,
        loc: Loc<'_>,
        path: &str,
        index: &'static str,
        keys: fn(&E) -> Vec<String>,
    ) -> Result<Arc<ListIndex<E>>, ApiError>
    where
        E: DeserializeOwned + Send + Sync + 'static,
    {
        let (fetched, items) = self.decoded::<Vec<E>>(loc, path, &self.list_cache).await?;
        fetched
            .view(index, |_| {
                let mut by_key = HashMap::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    for key in keys(item) {
                        by_key.entry(key).or_insert(i);
                    }
                }
                Ok(ListIndex { items, by_key })
            })
            .await
    }

    /// A list endpoint's response fetched once per process, when first needed (every
    /// concurrent caller waits for the same request), whatever is written meanwhile:
    /// for lists the provider never changes, such as the locations. A failed fetch
    /// is tried again by the next caller.
    pub async fn list_once<T>(&self, loc: Loc<'_>, path: &str) -> Result<Arc<T>, ApiError>
    where
        T: DeserializeOwned + Send + Sync + 'static,
    {
        Ok(self.decoded(loc, path, &self.once_lists).await?.1)
    }

    /// The list `path` from `cache` and its decoding as `T`, made once per fetch and
    /// shared by every reader of that fetch (`list_shared`, `list_once`, `list_index`).
    async fn decoded<T>(
        &self,
        loc: Loc<'_>,
        path: &str,
        cache: &Mutex<HashMap<String, CachedList>>,
    ) -> Result<(Arc<FetchedList>, Arc<T>), ApiError>
    where
        T: DeserializeOwned + Send + Sync + 'static,
    {
        let fetched = self.fetch_list(loc, path, cache).await?;
        let path = self.path_of(path, loc);
        let decoded = fetched
            .view("", |bytes| decode(bytes, "GET", &path))
            .await?;
        Ok((fetched, decoded))
    }

    /// The response of `path` from `cache` (fetched when it is not there, or anew
    /// inside `fresh_lists` when `cache` is the list cache).
    async fn fetch_list(
        &self,
        loc: Loc<'_>,
        path: &str,
        cache: &Mutex<HashMap<String, CachedList>>,
    ) -> Result<Arc<FetchedList>, ApiError> {
        let builder = self.get(loc, path);
        let key = builder.url();
        let fresh = std::ptr::eq(cache, &self.list_cache) && lists_fresh();
        let cell = {
            let mut cache = cache.lock().expect("cache lock");
            if fresh {
                cache.insert(key.clone(), CachedList::default());
            }
            cache.entry(key).or_default().clone()
        };
        Ok(cell
            .get_or_try_init(|| async {
                builder.send_raw().await.map(|bytes| {
                    Arc::new(FetchedList {
                        bytes,
                        views: Mutex::default(),
                    })
                })
            })
            .await?
            .clone())
    }

    /// The baseline of creates in list `path` (see `Baseline`): the list as cached
    /// (fetched when it is not), taken when the first create of this process asks,
    /// shared by the creates that follow until a write other than theirs. A create
    /// sends its request with `keeps_baseline` and then `record`s what it made, or
    /// calls `drop_baseline` when it does not know what it made.
    pub async fn create_baseline<E>(
        &self,
        loc: Loc<'_>,
        path: &str,
    ) -> Result<Arc<Baseline<E>>, ApiError>
    where
        E: DeserializeOwned + Send + Sync + 'static,
    {
        let cell = {
            let mut baselines = self.baselines.lock().expect("cache lock");
            baselines
                .entry(self.get(loc, path).url())
                .or_default()
                .clone()
        };
        let baseline = cell
            .get_or_try_init(|| async {
                let listed = self.list_shared::<Vec<E>>(loc, path).await?;
                Ok::<_, ApiError>(Arc::new(Baseline {
                    listed,
                    made: Mutex::new(Vec::new()),
                }) as Arc<dyn Any + Send + Sync>)
            })
            .await?
            .clone();
        Ok(baseline
            .downcast::<Baseline<E>>()
            .unwrap_or_else(|_| panic!("the baseline of {path} is kept with another type")))
    }

    /// Forgets the baseline of list `path`: the next create lists anew.
    pub fn drop_baseline(&self, loc: Loc<'_>, path: &str) {
        let key = self.get(loc, path).url();
        self.baselines.lock().expect("cache lock").remove(&key);
    }

    fn path_of(&self, path: &str, loc: Loc<'_>) -> String {
        match loc {
            Loc::Global => format!("/v1/{path}"),
            Loc::At(slug) => format!("/v1/{slug}/{path}"),
        }
    }

    /// After a write: every cached list, and every create baseline but `keep`'s.
    fn invalidate_lists(&self, keep: Option<&str>) {
        self.list_cache.lock().expect("cache lock").clear();
        self.baselines
            .lock()
            .expect("cache lock")
            .retain(|url, _| Some(url.as_str()) == keep);
    }

    fn backoff(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(Duration::from_secs(60));
        }
        let exp = self
            .config
            .base_backoff
            .saturating_mul(2u32.saturating_pow(attempt))
            .min(self.config.max_backoff);
        // Jitter spreads retries of parallel Terraform operations apart.
        let factor = rand::thread_rng().gen_range(0.5..=1.0);
        exp.mul_f64(factor)
    }
}

/// A call that may be made more than once: each call of the closure sends (or
/// reads) anew. It names the bound the write recoveries below share, instead of
/// spelling out `F: Fn() -> Fut, Fut: Future<Output = Result<T, ApiError>>` on
/// each of them.
pub trait Call<T> {
    type Fut: Future<Output = Result<T, ApiError>>;
    fn call(&self) -> Self::Fut;
}

impl<T, F, Fut> Call<T> for F
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, ApiError>>,
{
    type Fut = Fut;
    fn call(&self) -> Fut {
        self()
    }
}

/// Sends a create (see `recover_create`) of an object that then stands in `list`:
/// when it may have taken effect, the one object of `list` that was not there
/// before and that `made` recognises (its name, its size...) is adopted.
pub async fn create_listed<T: DeserializeOwned + Identified>(
    client: &ApiClient,
    request: RequestBuilder<'_>,
    list: impl Call<Vec<T>>,
    made: impl Fn(&T) -> bool,
) -> Result<T, ApiError> {
    let before: HashSet<String> = list
        .call()
        .await?
        .iter()
        .map(|x| x.uuid().to_owned())
        .collect();
    recover_create(
        client,
        || request.clone().send::<T>(),
        || async {
            let listed = list.call().await?;
            Ok(listed
                .into_iter()
                .filter(|x| made(x) && !before.contains(x.uuid()))
                .collect::<Vec<_>>())
        },
    )
    .await
}

/// The first object of a (cached) list that `wanted` holds for, else what `confirm`
/// finds afresh (a GET of the one object, or of the list uncached): a refresh of N
/// objects costs one list call, and an object missing from a list fetched before
/// some write is declared gone only after a read that follows it.
pub async fn listed_or<E>(
    listed: impl Future<Output = Result<Vec<E>, ApiError>>,
    wanted: impl Fn(&E) -> bool,
    confirm: impl Future<Output = Result<Option<E>, ApiError>>,
) -> Result<Option<E>, ApiError> {
    match listed.await?.into_iter().find(wanted) {
        Some(found) => Ok(Some(found)),
        None => confirm.await,
    }
}

/// A JSON object of the fields that are given (`None` leaves a field out): the body of
/// a change that sends only what changes.
pub fn given_fields<const N: usize>(
    fields: [(&str, Option<serde_json::Value>); N],
) -> serde_json::Value {
    let given = fields
        .into_iter()
        .filter_map(|(key, value)| Some((key.to_owned(), value?)));
    serde_json::Value::Object(given.collect())
}

/// Sends a write that must not be repeated blindly (a create, an attachment) and
/// makes sure it happened exactly once. When it failed in a way that may have
/// taken effect (a 5xx, a lost answer), `find` looks, in lists read fresh, for
/// what it would have made: one match is adopted; several are an `Ambiguous`
/// error (nothing adopted, the candidates named); none means nothing happened,
/// and a transient failure (502/503/504, a dropped connection) is then sent
/// again, within `max_retries` and the operation's deadline. Lookups that fail
/// are made again until the deadline (reads are safe to repeat); when it passes
/// (or Terraform is interrupted) without an answer, the error says that the
/// object may exist and must be imported rather than created again.
pub async fn recover_create<T, Found: IntoIterator<Item = T>>(
    client: &ApiClient,
    send: impl Call<T>,
    find: impl Call<Found>,
) -> Result<T, ApiError> {
    let check = || async {
        let mut found: Vec<T> = find.call().await?.into_iter().collect();
        match found.len() {
            0 => Ok(None),
            1 => Ok(Some(found.remove(0))),
            n => Err(ApiError {
                kind: ErrorKind::Ambiguous,
                message: format!(
                    "{n} objects now match it: the provider cannot tell which one this request \
                     made, so it adopts none. Check the account, then import the right one or \
                     delete the extra ones"
                ),
                ..ApiError::transport("", "", "")
            }),
        }
    };
    recover(client, send, check, "nothing was created").await
}

/// Sends a write that must not be repeated blindly (a change, a power action)
/// until it has taken effect once. When it failed in a way that may have taken
/// effect (a 5xx, a lost answer), `check` reads the object afresh: `Some` (what
/// the write returns) when the change is there, `None` when it is not; only then
/// is a transient failure (502/503/504, a dropped connection) sent again, within
/// `max_retries` and the operation's deadline. A 429 or a connection never made
/// did nothing and is resent by the request itself.
pub async fn recover_write<T>(
    client: &ApiClient,
    send: impl Call<T>,
    check: impl Call<Option<T>>,
) -> Result<T, ApiError> {
    recover(
        client,
        send,
        check,
        "a fresh read found that it did not take effect",
    )
    .await
}

async fn recover<T>(
    client: &ApiClient,
    send: impl Call<T>,
    check: impl Call<Option<T>>,
    not_done: &str,
) -> Result<T, ApiError> {
    let mut attempt = 0u32;
    loop {
        let error = match send.call().await {
            Ok(done) => return Ok(done),
            Err(error) if !error.may_have_taken_effect() => return Err(error),
            Err(error) => error,
        };
        if let Some(done) = look_for(client, &error, &check).await? {
            return Ok(done);
        }
        let error = error.note(not_done);
        let transient = matches!(error.status, Some(502..=504))
            || (error.kind == ErrorKind::Transport && error.status.is_none());
        let wait = client.backoff(attempt, None);
        let in_time =
            time_left(&Method::POST, client.config.request_timeout).is_some_and(|left| left > wait);
        if !transient || attempt >= client.config.max_retries || !in_time {
            return Err(error);
        }
        log_again(
            "Sending a write again: it failed and a fresh read shows it did not take effect",
            (&error.method, &error.path),
            ("attempt", attempt + 1),
            wait,
            None,
        );
        client.pause(wait, error).await?;
        attempt += 1;
    }
}

/// Finds out, in lists read fresh, whether a write that failed took effect.
/// Lookups that fail are made again (with back-off) until the operation's
/// deadline; then, or when Terraform is interrupted, the write's error says that
/// it may have taken effect and what to do.
async fn look_for<T>(
    client: &ApiClient,
    error: &ApiError,
    check: &impl Call<Option<T>>,
) -> Result<Option<T>, ApiError> {
    let until = DEADLINE
        .try_with(|deadline| *deadline)
        .unwrap_or_else(|_| Instant::now() + client.config.request_timeout);
    let unresolved = |why: String| {
        let mut unresolved = error.clone().note(format!(
            "it may have taken effect, and {why}. What it made may now exist without being in \
             the Terraform state: look for it in the account and import it (terraform import) \
             before applying again, which would make a second one"
        ));
        unresolved.kind = ErrorKind::Ambiguous;
        unresolved
    };
    let mut tries = 0u32;
    loop {
        let lookup = match fresh_lists(check.call()).await {
            Ok(found) => return Ok(found),
            Err(lookup) if lookup.kind == ErrorKind::Ambiguous && lookup.method.is_empty() => {
                let mut ambiguous = error
                    .clone()
                    .note(format!("it may have taken effect, and {}", lookup.message));
                ambiguous.kind = ErrorKind::Ambiguous;
                return Err(ambiguous);
            }
            Err(lookup) => lookup,
        };
        let wait = client.backoff(tries, None);
        if client.config.cancel.is_cancelled() {
            return Err(unresolved(format!(
                "{INTERRUPTED} before it could find out ({lookup})"
            )));
        }
        if Instant::now() + wait >= until {
            return Err(unresolved(format!(
                "looking for its result failed until the operation's deadline (timeouts): {lookup}"
            )));
        }
        log_again(
            "Looking again for what a failed write did: the lookup failed too",
            (&error.method, &error.path),
            ("lookup", tries + 1),
            wait,
            Some(&lookup.message),
        );
        if client.config.cancel.sleep(wait).await == Waited::Cancelled {
            return Err(unresolved(format!(
                "{INTERRUPTED} before it could find out ({lookup})"
            )));
        }
        tries += 1;
    }
}

/// Logs (at info) that a request, or a lookup after it, is made again after `wait`:
/// the request (`(method, path)`), the try that comes next (`counter` names what is
/// counted) and why; the one shape of the client's three "once more" records.
fn log_again(
    message: &str,
    (method, path): (&str, &str),
    (counter, next): (&str, u32),
    wait: Duration,
    reason: Option<&str>,
) {
    let mut fields = vec![
        ("http_method", method.into()),
        ("http_path", path.into()),
        (counter, next.into()),
        ("wait_ms", (wait.as_millis() as u64).into()),
    ];
    if let Some(reason) = reason {
        fields.push(("reason", reason.into()));
    }
    logging::log(Level::Info, MODULE_API, message, &fields);
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn decode<T: DeserializeOwned>(bytes: &[u8], method: &str, path: &str) -> Result<T, ApiError> {
    let body: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        bytes
    };
    serde_json::from_slice(body).map_err(|e| {
        // Neither the body nor serde's message (which quotes the offending value):
        // a body of `.../secrets` or `storage/user/keys` holds passwords and keys.
        let problem = match e.classify() {
            serde_json::error::Category::Io => "unreadable",
            serde_json::error::Category::Syntax => "not valid JSON",
            serde_json::error::Category::Data => "not of the expected shape",
            serde_json::error::Category::Eof => "cut short",
        };
        ApiError::transport(
            method,
            path,
            format!(
                "unexpected response body: {problem} at line {} column {} ({} bytes)",
                e.line(),
                e.column(),
                bytes.len()
            ),
        )
    })
}

/// Encodes pairs as `application/x-www-form-urlencoded` (or a query string) with
/// `%20` for spaces and repeated keys for lists.
pub fn encode_pairs(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, FORM_ESCAPE),
                utf8_percent_encode(v, FORM_ESCAPE)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[derive(Clone)]
pub struct RequestBuilder<'a> {
    client: &'a ApiClient,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    body: Body,
    repeat: Repeat,
    /// The feature the endpoint belongs to, when some generations lack it.
    family: Option<Feature>,
    /// Whether the path carries a location slug (`/v1/{slug}/...`).
    located: bool,
    /// The list URL whose create baseline this write (a create) keeps.
    keeps_baseline: Option<String>,
}

impl<'a> RequestBuilder<'a> {
    /// Marks this write as a create in list `path` of `loc` that keeps the list's
    /// create baseline (`ApiClient::create_baseline`); the caller records what it
    /// made or drops the baseline.
    pub fn keeps_baseline(mut self, loc: Loc<'_>, path: &str) -> Self {
        self.keeps_baseline = Some(self.client.get(loc, path).url());
        self
    }

    pub fn query(mut self, key: &str, value: impl ToString) -> Self {
        self.query.push((key.to_owned(), value.to_string()));
        self
    }

    /// Adds a form field; call repeatedly with the same key for a list.
    pub fn form(mut self, key: &str, value: impl ToString) -> Self {
        match &mut self.body {
            Body::Form(pairs) => pairs.push((key.to_owned(), value.to_string())),
            _ => self.body = Body::Form(vec![(key.to_owned(), value.to_string())]),
        }
        self
    }

    pub fn form_opt(self, key: &str, value: Option<impl ToString>) -> Self {
        match value {
            Some(v) => self.form(key, v),
            None => self,
        }
    }

    pub fn json(mut self, body: serde_json::Value) -> Self {
        self.body = Body::Json(body);
        self
    }

    /// Declares that repeating this request is harmless (or harmful).
    pub fn repeat(mut self, repeat: Repeat) -> Self {
        self.repeat = repeat;
        self
    }

    fn url(&self) -> String {
        let mut url = format!("{}{}", self.client.base_url, self.path);
        if !self.query.is_empty() {
            url.push('?');
            url.push_str(&encode_pairs(&self.query));
        }
        url
    }

    pub async fn send<T: DeserializeOwned>(self) -> Result<T, ApiError> {
        let method = self.method.to_string();
        let path = self.path.clone();
        let bytes = self.send_raw().await?;
        decode(&bytes, &method, &path)
    }

    /// Sends and ignores the body (deletes answer 200 or 204, with or without one).
    pub async fn send_empty(self) -> Result<(), ApiError> {
        self.send_raw().await.map(|_| ())
    }

    async fn send_raw(self) -> Result<Vec<u8>, ApiError> {
        // The backstop behind the plan-time brand checks (`ResourceType::FEATURE`,
        // `Attr::only_on`): an endpoint the brand's API lacks is never called.
        self.client.require_all(self.family)?;
        let is_write = self.method != Method::GET;
        let client = self.client;
        let (family, located) = (self.family, self.located);
        let keep = self.keeps_baseline.clone();
        let result = self
            .attempts()
            .await
            .map_err(|e| client.explain_no_route(e, family, located));
        if is_write {
            // Whatever the outcome (a failed write may have taken effect too), lists
            // read while it was in flight are stale.
            client.invalidate_lists(keep.as_deref());
        }
        result
    }

    async fn attempts(self) -> Result<Vec<u8>, ApiError> {
        let client = self.client;
        let method_name = self.method.to_string();
        let url = self.url();
        if self.method != Method::GET {
            client.invalidate_lists(self.keeps_baseline.as_deref());
        }
        let mut attempt = 0u32;
        loop {
            let Some(timeout) = time_left(&self.method, client.config.request_timeout) else {
                return Err(ApiError::not_sent(
                    &method_name,
                    &self.path,
                    "not sent: the operation's deadline (timeouts) has passed",
                ));
            };
            let mut req = client
                .http
                .request(self.method.clone(), &url)
                .timeout(timeout)
                .header("apikey", client.api_key.expose());
            match &self.body {
                Body::None => {}
                Body::Form(pairs) => {
                    req = req
                        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .body(encode_pairs(pairs));
                }
                Body::Json(value) => {
                    req = req
                        .header(CONTENT_TYPE, "application/json")
                        .body(value.to_string());
                }
            }
            let started = Instant::now();
            let outcome = req.send().await;
            let logged = |status: Option<u16>, error: Option<&str>| {
                let mut fields = vec![
                    ("http_method", method_name.as_str().into()),
                    ("http_path", self.path.as_str().into()),
                    ("attempt", (attempt + 1).into()),
                    ("elapsed_ms", (started.elapsed().as_millis() as u64).into()),
                ];
                if let Some(status) = status {
                    fields.push(("http_status", status.into()));
                }
                if let Some(error) = error {
                    fields.push(("error", error.into()));
                }
                logging::log(Level::Debug, MODULE_API, "API request", &fields);
            };
            let (error, retry_after) = match outcome {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let retry_after = resp
                        .headers()
                        .get(RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    let body = resp.bytes().await.map(|b| b.to_vec());
                    logged(Some(status), None);
                    match body {
                        Ok(body) if (200..300).contains(&status) => return Ok(body),
                        Ok(body) => (
                            ApiError::from_response(&method_name, &self.path, status, &body),
                            retry_after,
                        ),
                        Err(e) => (
                            ApiError::transport(&method_name, &self.path, e.to_string()),
                            None,
                        ),
                    }
                }
                Err(e) => {
                    // A connection never made did not reach the API: safe to repeat.
                    let error = if e.is_connect() {
                        ApiError::not_sent(&method_name, &self.path, describe(&e))
                    } else {
                        ApiError::transport(&method_name, &self.path, describe(&e))
                    };
                    logged(None, Some(&error.message));
                    (error, None)
                }
            };
            if attempt >= client.config.max_retries || !self.retryable(&error) {
                return Err(error);
            }
            let wait = client.backoff(attempt, retry_after);
            if time_left(&self.method, client.config.request_timeout)
                .is_none_or(|left| left <= wait)
            {
                // Waiting would outlast the deadline.
                return Err(error);
            }
            log_again(
                "Retrying API request",
                (&method_name, &self.path),
                ("attempt", attempt + 1),
                wait,
                Some(&error.message),
            );
            client.pause(wait, error).await?;
            attempt += 1;
        }
    }

    fn retryable(&self, error: &ApiError) -> bool {
        match error.kind {
            ErrorKind::RateLimited => true,
            _ if error.not_sent => true,
            _ if self.repeat == Repeat::OnlyIfRefused => false,
            ErrorKind::Transport => true,
            ErrorKind::Server => matches!(error.status, Some(502..=504)),
            _ => false,
        }
    }
}

fn describe(e: &reqwest::Error) -> String {
    use std::error::Error;
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding_uses_percent_20_and_repeats_keys() {
        let pairs = vec![
            ("public_keys".to_owned(), "ssh-ed25519 AAAA a@b".to_owned()),
            ("public_keys".to_owned(), "ssh-rsa BBB+/=".to_owned()),
        ];
        assert_eq!(
            encode_pairs(&pairs),
            "public_keys=ssh-ed25519%20AAAA%20a%40b&public_keys=ssh-rsa%20BBB%2B%2F%3D"
        );
    }

    #[tokio::test]
    async fn writes_to_one_object_take_turns_and_a_waiting_one_can_be_interrupted() {
        let client = ApiClient::new(ClientConfig::new("http://sim/", "k")).unwrap();
        let first = client.exclusive("jkt01/ip/1").await.unwrap();
        assert!(!first.waited);
        // Another object is not held by it.
        assert!(!client.exclusive("jkt01/ip/2").await.unwrap().waited);
        let second = {
            let client = &client;
            async move { client.exclusive("jkt01/ip/1").await }
        };
        let (second, ()) = tokio::join!(second, async move {
            tokio::task::yield_now().await;
            drop(first);
        });
        let second = second.unwrap();
        assert!(second.waited, "the second write waited for the first");

        client.cancel().cancel();
        let waiting = client.exclusive("jkt01/ip/1").await;
        assert!(
            waiting.is_err(),
            "an interrupted wait ends without its turn"
        );
        drop(second);
        assert!(!client.exclusive("jkt01/ip/1").await.unwrap().waited);
    }

    #[test]
    fn generation_from_url() {
        for (url, generation) in [
            ("https://api.idcloudhost.com", Generation::Newest),
            ("https://api.3nv.io/", Generation::Middle),
            ("https://api.elastis.id", Generation::Oldest),
            ("http://127.0.0.1:8080", Generation::Newest),
        ] {
            assert_eq!(Generation::from_url(url), generation, "{url}");
        }
        assert!(!Generation::Oldest.supports(Feature::Firewalls));
        assert!(Generation::Middle.supports(Feature::BootImages));
        assert!(!Generation::Middle.supports(Feature::SshKeys));
    }

    #[test]
    fn unsupported_feature_names_the_brand() {
        let client = ApiClient::new(ClientConfig::new("https://api.elastis.id", "k")).unwrap();
        let err = client.require(Feature::BootImages).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Unsupported);
        assert!(err.message.contains("elastis.id"), "{}", err.message);
        assert!(err.message.starts_with("Boot images"));
    }

    #[tokio::test]
    async fn no_route_on_a_global_or_brand_endpoint_suggests_the_brand() {
        // The oldest generation's API behind a host the provider does not know,
        // with `brand` unset: the provider assumes the newest generation.
        let sim = idcloudhost_sim::Simulator::start(idcloudhost_sim::SimConfig {
            brand: idcloudhost_sim::Brand::Elastis,
            ..Default::default()
        })
        .unwrap();
        let client = ApiClient::new(ClientConfig::new(sim.url(), "sim-key")).unwrap();
        assert_eq!(client.generation(), Generation::Newest);
        // A global endpoint family elastis.id lacks.
        let err = client
            .list::<Vec<serde_json::Value>>(Loc::Global, "config/boot_images")
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::WrongBrand, "{err}");
        assert!(
            err.message.contains("no route"),
            "the API's own message: {err}"
        );
        assert!(
            err.message.contains("brand = \"elastis\""),
            "suggests the brand: {err}"
        );
        assert!(
            !err.message.contains("location"),
            "the location is not blamed: {err}"
        );
        // A location-scoped endpoint family elastis.id lacks.
        let err = client
            .list::<Vec<serde_json::Value>>(Loc::At("jkt01"), "network/firewalls")
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::WrongBrand, "{err}");
        assert!(err.message.contains("brand = \"elastis\""), "{err}");
        // An unknown slug on an endpoint every generation has stays a location error.
        let err = client
            .list::<Vec<serde_json::Value>>(Loc::At("nowhere9"), "user-resource/vm/list")
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::UnknownLocation, "{err}");
    }

    #[tokio::test]
    async fn endpoints_the_brand_lacks_are_never_called() {
        // No server behind the URL: an Unsupported error proves nothing was sent.
        let client = ApiClient::new(ClientConfig::new("https://api.elastis.id", "k")).unwrap();
        for (loc, path) in [
            (Loc::Global, "user-resource/ssh_keys"),
            (Loc::At("jkt01"), "network/firewalls/abc/vms"),
            (Loc::Global, "user-resource/service/packages"),
            (
                Loc::At("jkt01"),
                "user-resource/service/package/x/whitelist_addresses",
            ),
        ] {
            let err = client.delete(loc, path).send_empty().await.unwrap_err();
            assert_eq!(err.kind, ErrorKind::Unsupported, "{path}: {err}");
            assert!(err.message.contains("elastis.id"), "{}", err.message);
        }
        let middle = ApiClient::new(ClientConfig::new("https://api.3nv.io", "k")).unwrap();
        let err = middle
            .list::<Vec<serde_json::Value>>(Loc::Global, "user-resource/ssh_keys")
            .await
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Unsupported);
        assert_eq!(Feature::of_endpoint("user-resource/vm/list"), None);
    }

    #[test]
    fn routes_global_and_located_paths() {
        let client = ApiClient::new(ClientConfig::new("http://sim/", "k")).unwrap();
        assert_eq!(
            client.get(Loc::Global, "config/locations").url(),
            "http://sim/v1/config/locations"
        );
        assert_eq!(
            client
                .get(Loc::At("jkt01"), "user-resource/vm")
                .query("uuid", "a b")
                .url(),
            "http://sim/v1/jkt01/user-resource/vm?uuid=a%20b"
        );
    }

    #[test]
    fn an_undecodable_body_is_never_quoted() {
        use crate::api::models::storage::S3Key;
        for body in [
            &br#"{"accessKey":"AK","secretKey":"TOPSECRET-1"}"#[..],
            br#"[1, "TOPSECRET-1"]"#,
            br#"[{"accessKey":"AK","secretKey":"TOPSECRET-1"}"#,
        ] {
            let err = decode::<Vec<S3Key>>(body, "GET", "/v1/storage/user/keys").unwrap_err();
            let text = format!("{err} {err:?}");
            assert!(!text.contains("TOPSECRET"), "{text}");
            assert!(text.contains("unexpected response body"), "{text}");
            assert!(text.contains("GET /v1/storage/user/keys"), "{text}");
        }
    }

    #[test]
    fn the_api_key_never_prints() {
        let config = ClientConfig::new("https://x", "KEY-1234");
        assert!(!format!("{config:?}").contains("KEY-1234"));
        let client = ApiClient::new(config).unwrap();
        assert!(!format!("{client:?}").contains("KEY-1234"));
    }

    #[test]
    fn rejects_bad_urls_and_keys() {
        assert!(ApiClient::new(ClientConfig::new("ftp://x", "k")).is_err());
        assert!(ApiClient::new(ClientConfig::new("https://x", "")).is_err());
    }

    /// A simulator of the newest generation and a client of it.
    fn simulated() -> (idcloudhost_sim::Simulator, ApiClient) {
        let sim = idcloudhost_sim::Simulator::start(Default::default()).unwrap();
        let client = ApiClient::new(ClientConfig::new(sim.url(), "sim-key")).unwrap();
        (sim, client)
    }

    /// GETs of `path` in the simulator's request log.
    async fn gets(sim: &idcloudhost_sim::Simulator, path: &str) -> usize {
        let log: Vec<serde_json::Value> = reqwest::get(format!("{}/__sim/requests", sim.url()))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        log.iter()
            .filter(|r| r["method"] == "GET" && r["path"] == path)
            .count()
    }

    #[tokio::test]
    async fn a_list_is_decoded_once_per_fetch_and_dropped_by_any_write() {
        let (sim, client) = simulated();
        let loc = Loc::At("jkt01");
        let path = "network/ip_addresses";
        let by_name = |ip: &serde_json::Value| vec![ip["name"].as_str().unwrap_or("").to_owned()];
        let first = client.list_index(loc, path, "name", by_name).await.unwrap();
        let again = client.list_index(loc, path, "name", by_name).await.unwrap();
        assert!(Arc::ptr_eq(&first, &again), "one index per fetch");
        assert!(first.items().is_empty());
        assert_eq!(gets(&sim, "/v1/jkt01/network/ip_addresses").await, 1);
        // A failed write drops it too (it may have taken effect).
        let _ = client
            .post(loc, path)
            .json(serde_json::json!({ "name": "a" }))
            .send_empty()
            .await;
        let after = client.list_index(loc, path, "name", by_name).await.unwrap();
        assert!(!Arc::ptr_eq(&first, &after));
        assert_eq!(gets(&sim, "/v1/jkt01/network/ip_addresses").await, 2);
    }

    #[tokio::test]
    async fn a_create_baseline_outlives_its_own_creates_but_not_other_writes() {
        let (sim, client) = simulated();
        let loc = Loc::At("jkt01");
        let path = "network/ip_addresses";
        let list_path = "/v1/jkt01/network/ip_addresses";
        let accounts: Vec<serde_json::Value> = client
            .list(Loc::Global, "payment/billing_account/list")
            .await
            .unwrap();
        let billing = accounts[0]["id"].as_i64().unwrap();
        let baseline = client
            .create_baseline::<serde_json::Value>(loc, path)
            .await
            .unwrap();
        for name in ["a", "b", "c"] {
            let made: serde_json::Value = client
                .post(loc, path)
                .json(serde_json::json!({ "name": name, "billing_account_id": billing }))
                .keeps_baseline(loc, path)
                .send()
                .await
                .unwrap();
            baseline.record(made);
            let same = client
                .create_baseline::<serde_json::Value>(loc, path)
                .await
                .unwrap();
            assert!(
                Arc::ptr_eq(&baseline, &same),
                "kept through its own creates"
            );
        }
        assert_eq!(baseline.matching(|_| true).len(), 3, "with what they made");
        assert_eq!(gets(&sim, list_path).await, 1, "one list for the wave");
        // Any other write (here a network create in the same location) drops it.
        let _ = client
            .post(loc, "network/network")
            .form("name", "n")
            .send_empty()
            .await;
        let fresh = client
            .create_baseline::<serde_json::Value>(loc, path)
            .await
            .unwrap();
        assert!(!Arc::ptr_eq(&baseline, &fresh));
        assert_eq!(gets(&sim, list_path).await, 2);
        assert_eq!(fresh.matching(|_| true).len(), 3, "listed anew");
    }
}
