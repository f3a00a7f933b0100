//! The Terraform plugin protocol, served by this crate itself: go-plugin's
//! process handshake, AutoMTLS, its controller/stdio/broker services, and
//! `tfplugin6` (`proto/tfplugin6.proto`) answered by the framework's resources
//! and data sources directly.
//!
//! Terraform starts the provider with `TF_PLUGIN_MAGIC_COOKIE` and (AutoMTLS)
//! `PLUGIN_CLIENT_CERT` in its environment, reads one handshake line from its
//! stdout (`1|6|tcp|127.0.0.1:PORT|grpc|<server certificate>`), connects over
//! TLS with that certificate, and calls the `tfplugin6.Provider` service.

mod convert;
mod go_plugin;
mod server;
mod tls;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use base64::Engine;
use tokio::net::TcpListener;

use crate::framework::provider::ProviderType;
use crate::logging::{self, Level};

pub use server::ProviderServer;

/// Messages generated from `proto/tfplugin6.proto`.
pub mod tfplugin6 {
    tonic::include_proto!("tfplugin6");
}

/// Messages generated from `proto/plugin.proto` (go-plugin's own services).
pub mod plugin {
    tonic::include_proto!("plugin");
}

/// go-plugin's version of its own handshake.
const CORE_PROTOCOL_VERSION: u32 = 1;
/// The plugin protocol's major version; Terraform detects minor features.
const PROTOCOL_VERSION: u32 = 6;
/// What Terraform sets to say "you were started by Terraform".
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
pub const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// The message for someone who runs the binary by hand.
pub fn started_by_hand_message(binary: &str) -> String {
    format!(
        "{binary} is a Terraform plugin: Terraform starts it, it is not meant to be run by hand.\n\
         \n\
         To use it, declare it in your configuration and run Terraform:\n\
         \n\
         terraform {{\n  required_providers {{\n    idcloudhost = {{\n      source = \"idcloudhost/idcloudhost\"\n    }}\n  }}\n}}\n\
         \n\
         For a local build, point Terraform at this directory with a dev_overrides\n\
         block in a CLI configuration file (see the README, \"Running your own\n\
         configurations offline\").\n"
    )
}

/// The line Terraform reads from the plugin's stdout to find and trust it.
pub fn handshake_line(address: SocketAddr, server_cert_der: Option<&[u8]>) -> String {
    let cert = server_cert_der
        .map(|der| base64::engine::general_purpose::STANDARD_NO_PAD.encode(der))
        .unwrap_or_default();
    format!("{CORE_PROTOCOL_VERSION}|{PROTOCOL_VERSION}|tcp|{address}|grpc|{cert}")
}

/// Why the process cannot serve the Terraform that started it.
#[derive(Debug, PartialEq, Eq)]
pub enum LaunchError {
    /// No magic cookie: someone ran the binary by hand.
    NotTerraform,
    /// A Terraform too old for protocol 6.
    Protocol(String),
}

/// Checks what Terraform put in the environment: the magic cookie, and that it
/// speaks protocol 6.
pub fn check_launch(env: impl Fn(&str) -> Option<String>) -> Result<(), LaunchError> {
    if env(MAGIC_COOKIE_KEY).as_deref() != Some(MAGIC_COOKIE_VALUE) {
        return Err(LaunchError::NotTerraform);
    }
    if let Some(versions) = env("PLUGIN_PROTOCOL_VERSIONS") {
        let wanted = PROTOCOL_VERSION.to_string();
        if !versions.split(',').any(|v| v.trim() == wanted) {
            return Err(LaunchError::Protocol(format!(
                "Terraform offers plugin protocol versions {versions}; this provider speaks version {PROTOCOL_VERSION}: use Terraform 1.0 or newer."
            )));
        }
    }
    Ok(())
}

/// Serves `provider` to the Terraform that started this process, until
/// Terraform shuts it down.
pub async fn serve(provider_name: &str, provider: impl ProviderType) -> Result<()> {
    let listener = bind(|name| std::env::var(name).ok()).await?;
    let address = listener.local_addr()?;
    let tls = match std::env::var("PLUGIN_CLIENT_CERT") {
        Ok(pem) if !pem.trim().is_empty() => Some(tls::AutoMtls::new(pem.as_bytes())?),
        _ => None,
    };
    let (shutdown, stopped) = tokio::sync::watch::channel(false);
    let server = Arc::new(ProviderServer::new(provider_name, provider));
    let stopping = server.clone();
    // A Ctrl-C at a terminal reaches the whole process group, this plugin too:
    // Terraform handles it (StopProvider, then Shutdown), so the plugin keeps
    // running to answer, and to finish what it sent, instead of dying mid-write.
    tokio::spawn(async {
        while tokio::signal::ctrl_c().await.is_ok() {
            logging::log(
                Level::Info,
                logging::MODULE_RPC,
                "Interrupt signal ignored: Terraform stops the provider itself",
                &[],
            );
        }
    });
    let incoming = tls::incoming(listener, tls.as_ref().map(|t| t.acceptor()));

    let mut wait_for_shutdown = stopped.clone();
    let mut grace_after_shutdown = stopped.clone();
    let serving = tonic::transport::Server::builder()
        .add_service(tfplugin6::provider_server::ProviderServer::from_arc(
            server.clone(),
        ))
        .add_service(plugin::grpc_controller_server::GrpcControllerServer::new(
            go_plugin::Controller::new(shutdown, server),
        ))
        .add_service(plugin::grpc_stdio_server::GrpcStdioServer::new(
            go_plugin::Stdio::new(stopped.clone()),
        ))
        .add_service(plugin::grpc_broker_server::GrpcBrokerServer::new(
            go_plugin::Broker::new(stopped),
        ))
        .serve_with_incoming_shutdown(incoming, async move {
            let _ = wait_for_shutdown.wait_for(|stop| *stop).await;
        });
    let serving = tokio::spawn(serving);

    logging::log(
        Level::Info,
        logging::MODULE_RPC,
        if tls.is_some() {
            "Serving the plugin protocol over mutual TLS (AutoMTLS)"
        } else {
            "Serving the plugin protocol without TLS (no PLUGIN_CLIENT_CERT)"
        },
        &[
            ("address", address.to_string().into()),
            ("protocol_version", PROTOCOL_VERSION.into()),
        ],
    );
    // Terraform reads exactly one line; the listener already accepts.
    {
        use std::io::Write;
        let line = handshake_line(address, tls.as_ref().map(|t| t.server_cert_der()));
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{line}")?;
        stdout.flush()?;
    }

    // After Terraform's Shutdown the server drains its connections; open streams
    // (stdio, broker) end with the signal, and this grace bounds the rest.
    let grace = async move {
        let _ = grace_after_shutdown.wait_for(|stop| *stop).await;
        // The process is ending: every wait still in progress ends now.
        stopping.stop();
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        served = serving => served
            .map_err(|e| anyhow!("the plugin server stopped: {e}"))?
            .context("serving the plugin protocol"),
        () = grace => Ok(()),
    }
}

/// Listens on loopback, within PLUGIN_MIN_PORT..=PLUGIN_MAX_PORT when Terraform
/// sets them.
async fn bind(env: impl Fn(&str) -> Option<String>) -> Result<TcpListener> {
    let port = |name: &str| -> Result<Option<u16>> {
        env(name)
            .filter(|v| !v.trim().is_empty())
            .map(|v| {
                v.trim()
                    .parse::<u16>()
                    .with_context(|| format!("{name}={v:?}"))
            })
            .transpose()
    };
    let ports = match (port("PLUGIN_MIN_PORT")?, port("PLUGIN_MAX_PORT")?) {
        (None, None) => 0..=0,
        (min, max) => min.unwrap_or(1024)..=max.unwrap_or(u16::MAX),
    };
    if ports.is_empty() {
        bail!("PLUGIN_MIN_PORT is above PLUGIN_MAX_PORT");
    }
    for port in ports {
        if let Ok(listener) = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await {
            return Ok(listener);
        }
    }
    bail!("no free port between PLUGIN_MIN_PORT and PLUGIN_MAX_PORT")
}

/// How long a Shutdown waits for open streams before the process just exits.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::env_of;

    #[test]
    fn handshake_line_has_go_plugins_six_fields() {
        let address: SocketAddr = "127.0.0.1:41234".parse().unwrap();
        let line = handshake_line(address, Some(&[0xde, 0xad, 0xbe, 0xef, 0x01]));
        // Unpadded standard base64 of the DER certificate, as go-plugin reads it.
        assert_eq!(line, "1|6|tcp|127.0.0.1:41234|grpc|3q2+7wE");
        assert_eq!(
            handshake_line(address, None),
            "1|6|tcp|127.0.0.1:41234|grpc|"
        );
    }

    #[test]
    fn launch_needs_terraforms_cookie_and_protocol_6() {
        assert_eq!(check_launch(env_of(&[])), Err(LaunchError::NotTerraform));
        assert_eq!(
            check_launch(env_of(&[(MAGIC_COOKIE_KEY, "wrong")])),
            Err(LaunchError::NotTerraform)
        );
        assert!(check_launch(env_of(&[(MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE)])).is_ok());
        assert!(check_launch(env_of(&[
            (MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE),
            ("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        ]))
        .is_ok());
        let old = check_launch(env_of(&[
            (MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE),
            ("PLUGIN_PROTOCOL_VERSIONS", "4,5"),
        ]));
        assert!(matches!(old, Err(LaunchError::Protocol(m)) if m.contains("version 6")));
    }

    #[tokio::test]
    async fn binds_loopback_within_terraforms_port_range() {
        let listener = bind(env_of(&[
            ("PLUGIN_MIN_PORT", "0"),
            ("PLUGIN_MAX_PORT", "0"),
        ]))
        .await
        .unwrap();
        assert!(listener.local_addr().unwrap().ip().is_loopback());
        let any = bind(env_of(&[])).await.unwrap();
        assert_ne!(any.local_addr().unwrap().port(), 0);
        assert!(bind(env_of(&[
            ("PLUGIN_MIN_PORT", "9"),
            ("PLUGIN_MAX_PORT", "8")
        ]))
        .await
        .is_err());
    }

    #[test]
    fn started_by_hand_message_says_what_to_do() {
        let message = started_by_hand_message("terraform-provider-idcloudhost");
        assert!(message.contains("Terraform plugin"));
        assert!(message.contains("dev_overrides"));
    }
}
