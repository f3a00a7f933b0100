//! In-memory simulator of the IDCloudHost / elastis.id / 3nv.io cloud REST API.
//!
//! Written from the published API documents and the field notes on the live API,
//! independently of the provider that talks to it.

pub mod brand;
pub mod control;
pub mod families;
pub mod http;
pub mod state;
pub mod util;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::response::Response;
use axum::Router;

pub use crate::brand::Brand;
use crate::http::{decode_form, decode_form_body, msg_err, no_route, Req, Resp};
use crate::state::{is_location, LogEntry, SimState, DEFAULT_LOCATION};

/// Simulator configuration.
#[derive(Clone, Debug, Default)]
pub struct SimConfig {
    /// Accepted API keys, one account each. Empty: only `sim-key` is accepted.
    pub api_keys: Vec<String>,
    /// Whose API document to serve (default IDCloudHost, the newest).
    pub brand: Brand,
    /// Scales how long the live API's synchronous VM operations take (stop ~22 s,
    /// see `families::vm::duration`): 0 (the default) answers at once, 0.01 makes a
    /// stop take 0.22 s. Changed at run time by `POST /__sim/timing`.
    pub time_factor: f64,
    /// Locations served besides jkt01, jkt02 and sgp01 (slugs; none by default, so
    /// the simulator serves what the documents' examples show). The documents let
    /// an account have any number of locations (`GET /config/locations` lists
    /// them); an extra one is listed after the others, not default, with jkt01's
    /// host pools. For benchmarks over more locations.
    pub extra_locations: Vec<String>,
}

pub(crate) type Shared = Arc<Mutex<SimState>>;

/// Lock the shared state, recovering from a poisoned lock.
pub(crate) fn lock(s: &Shared) -> std::sync::MutexGuard<'_, SimState> {
    match s.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

/// A simulator serving on a background thread; dropped = shut down.
pub struct Simulator {
    addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Simulator {
    /// Binds 127.0.0.1:0, serves on a background thread with its own tokio runtime,
    /// returns once it accepts connections.
    pub fn start(config: SimConfig) -> std::io::Result<Simulator> {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<std::io::Result<()>>();
        let (shut_tx, shut_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("idcloudhost-sim".to_string())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                rt.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(std_listener) {
                        Ok(l) => l,
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                            return;
                        }
                    };
                    let _ = ready_tx.send(Ok(()));
                    tokio::select! {
                        _ = serve(listener, config) => {}
                        _ = shut_rx => {}
                    }
                });
                rt.shutdown_timeout(Duration::from_millis(200));
            })?;
        match ready_rx.recv() {
            Ok(Ok(())) => Ok(Simulator {
                addr,
                shutdown: Some(shut_tx),
                thread: Some(thread),
            }),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(std::io::Error::other("simulator thread died")),
        }
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Serve the simulated API on `listener` until the future is dropped.
pub async fn serve(listener: tokio::net::TcpListener, config: SimConfig) -> std::io::Result<()> {
    let mut state = SimState::new(config.api_keys);
    state.time_factor = config.time_factor.max(0.0);
    state.extra_locations = config
        .extra_locations
        .into_iter()
        .filter(|slug| !is_location(slug))
        .collect();
    let shared: Shared = Arc::new(Mutex::new(state));
    let brand = config.brand;
    let app = Router::new().fallback(move |req: Request| {
        let shared = shared.clone();
        async move { handle(shared, brand, req).await }
    });
    axum::serve(listener, app).await
}

const MAX_BODY: usize = 64 * 1024 * 1024;

async fn handle(shared: Shared, brand: Brand, req: Request) -> Response {
    let method = req.method().as_str().to_ascii_uppercase();
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or("").to_string();
    let headers = req.headers().clone();
    let body = match to_bytes(req.into_body(), MAX_BODY).await {
        Ok(b) => b,
        Err(_) => return to_response(msg_err(413, "Request body too large")),
    };
    if path == "/__sim" || path.starts_with("/__sim/") {
        return to_response(control::handle(&shared, &method, &path, &body));
    }
    let resp = api(&shared, brand, &method, &path, &query, &headers, &body).await;
    let user_agent = header_str(&headers, "user-agent").map(str::to_owned);
    lock(&shared).log.push(LogEntry {
        method,
        path,
        status: resp.status,
        user_agent,
    });
    to_response(resp)
}

fn header_str<'a>(h: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

async fn api(
    shared: &Shared,
    brand: Brand,
    method: &str,
    path: &str,
    query: &str,
    headers: &axum::http::HeaderMap,
    body: &[u8],
) -> Resp {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segs.first() != Some(&"v1") {
        return no_route();
    }
    let mut rest = &segs[1..];
    let mut slug_given = None;
    if let Some(first) = rest.first() {
        if is_location(first) || lock(shared).extra_locations.iter().any(|e| e == first) {
            slug_given = Some(first.to_string());
            rest = &rest[1..];
        }
    }
    if !brand.serves(rest) {
        return no_route();
    }
    let Some(route) = families::route(method, rest) else {
        return no_route();
    };
    if !route.scoped && slug_given.is_some() {
        return no_route();
    }

    // Authentication (the gateway's key-auth plugin).
    let key = match headers.get("apikey") {
        None => return msg_err(401, "No API key found in request"),
        Some(v) => v.to_str().unwrap_or("").to_string(),
    };
    if !lock(shared).is_valid_key(&key) {
        return msg_err(403, "Invalid authentication credentials");
    }

    // Fault injection: decided before anything changes, unless `after_effect`
    // (then the change is made and the answer is slow or lost).
    let faults = lock(shared).faults.clone();
    let mut lost_answer = None;
    let mut delay_answer = Duration::ZERO;
    let mut effect_delay = Duration::ZERO;
    if let Some(f) = faults.filter(|f| f.applies_to(method, path)) {
        let latency = Duration::from_millis(f.latency_ms);
        if f.after_effect {
            delay_answer = latency;
        } else if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        let failure = lock(shared).draw_fault(&f);
        if let Some(status) = failure {
            if !f.after_effect {
                return fault_response(status);
            }
            lost_answer = Some(status);
        }
        effect_delay = Duration::from_millis(f.effect_delay_ms);
    }

    // Body decoding per content type.
    let ct = header_str(headers, "content-type")
        .unwrap_or("")
        .to_ascii_lowercase();
    let ct_main = ct.split(';').next().unwrap_or("").trim().to_string();
    let mut form = Vec::new();
    let mut json = None;
    let mut json_invalid = false;
    if ct_main == "application/x-www-form-urlencoded" {
        form = decode_form_body(body);
    } else if (ct_main == "application/json" || ct_main.ends_with("+json"))
        && !body.iter().all(|b| b.is_ascii_whitespace())
    {
        match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(v) => json = Some(v),
            Err(_) => json_invalid = true,
        }
    }
    let mut rq = Req {
        method: method.to_string(),
        path: path.to_string(),
        slug: slug_given.unwrap_or_else(|| DEFAULT_LOCATION.to_string()),
        key,
        query: decode_form(query.as_bytes()),
        form,
        json,
        json_invalid,
    };
    if let Err(refused) = brand.admit(method, rest, &mut rq) {
        return refused;
    }
    // How long the live API takes for this operation (a VM stop ~22 s), scaled.
    let takes = {
        let st = lock(shared);
        let nominal = families::vm::duration(&st, method, rest, &rq);
        nominal.mul_f64(st.time_factor)
    };
    let effect_delay = effect_delay.max(takes);
    if !effect_delay.is_zero() {
        // Without holding the state: everything else is served meanwhile.
        tokio::time::sleep(effect_delay).await;
    }
    let mut answer = {
        let mut st = lock(shared);
        let answer = (route.handler)(&mut st, &rq);
        // Charges follow what the request changed.
        families::charging::tick(&mut st);
        answer
    };
    if let Some(body) = answer.body.as_mut() {
        brand.present(rest, body);
    }
    if !delay_answer.is_zero() {
        tokio::time::sleep(delay_answer).await;
    }
    match lost_answer {
        Some(status) => fault_response(status),
        None => answer,
    }
}

fn fault_response(status: u16) -> Resp {
    let msg = match status {
        429 => "API rate limit exceeded",
        500 => "An unexpected error occurred",
        502 => "An invalid response was received from the upstream server",
        503 => "Service Temporarily Unavailable",
        504 => "The upstream server is timing out",
        _ => "Simulated failure",
    };
    let r = msg_err(status, msg);
    if status == 429 {
        r.with_header("Retry-After", "0")
    } else {
        r
    }
}

pub(crate) fn to_response(r: Resp) -> Response {
    let status = axum::http::StatusCode::from_u16(r.status).unwrap_or(axum::http::StatusCode::OK);
    let mut builder = Response::builder().status(status);
    for (k, v) in &r.headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    let resp = match r.body {
        Some(v) if status != axum::http::StatusCode::NO_CONTENT => builder
            .header("content-type", "application/json")
            .body(Body::from(v.to_string())),
        _ => builder.body(Body::empty()),
    };
    resp.unwrap_or_else(|_| Response::new(Body::empty()))
}
