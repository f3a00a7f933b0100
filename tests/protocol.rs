//! The plugin-protocol layer itself: how the binary starts, the go-plugin
//! handshake, AutoMTLS (checked directly with a TLS client, and through the
//! real Terraform CLIs) and a clean shutdown.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use base64::Engine;
use common::{terraform_1_0_binary, Env};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName};
use tokio::io::AsyncReadExt;

const MAGIC_COOKIE: (&str, &str) = (
    "TF_PLUGIN_MAGIC_COOKIE",
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
);

fn provider_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-idcloudhost"))
}

#[test]
fn started_by_hand_it_says_it_is_a_terraform_plugin() {
    let out = Command::new(provider_binary())
        .env_remove(MAGIC_COOKIE.0)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing on stdout: no handshake");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is a Terraform plugin"), "{stderr}");
    assert!(stderr.contains("dev_overrides"), "{stderr}");
}

/// A client certificate the way Terraform's AutoMTLS makes one.
fn client_identity() -> (String, CertificateDer<'static>, PrivateKeyDer<'static>) {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.extended_key_usages = vec![
        rcgen::ExtendedKeyUsagePurpose::ClientAuth,
        rcgen::ExtendedKeyUsagePurpose::ServerAuth,
    ];
    let cert = params.self_signed(&key).unwrap();
    (
        cert.pem(),
        cert.der().clone(),
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
    )
}

struct Plugin {
    child: Child,
    fields: Vec<String>,
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_plugin(client_cert_pem: &str) -> Plugin {
    let mut child = Command::new(provider_binary())
        .env(MAGIC_COOKIE.0, MAGIC_COOKIE.1)
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env("PLUGIN_CLIENT_CERT", client_cert_pem)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let fields = line.trim_end().split('|').map(str::to_owned).collect();
    Plugin { child, fields }
}

/// Trusts exactly the certificate from the handshake line, as go-plugin's
/// client does (its pool holds only that certificate, which is its own CA).
#[derive(Debug)]
struct PinnedServerCert {
    cert: CertificateDer<'static>,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl rustls::client::danger::ServerCertVerifier for PinnedServerCert {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.cert.as_ref() {
            Ok(rustls::client::danger::ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "not the handshake's certificate".into(),
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// Connects with `identity` as client certificate; the bytes the server sent
/// first (HTTP/2 settings), or the error that ended the connection.
async fn first_bytes(
    address: &str,
    server_cert: CertificateDer<'static>,
    identity: (CertificateDer<'static>, PrivateKeyDer<'static>),
) -> Result<(Vec<u8>, Option<Vec<u8>>), String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let pinned = Arc::new(PinnedServerCert {
        cert: server_cert,
        provider: provider.clone(),
    });
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(pinned)
        .with_client_auth_cert(vec![identity.0], identity.1)
        .map_err(|e| e.to_string())?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(address)
        .await
        .map_err(|e| e.to_string())?;
    let mut tls = connector
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .map_err(|e| e.to_string())?;
    let alpn = tls.get_ref().1.alpn_protocol().map(<[u8]>::to_vec);
    let mut buf = vec![0u8; 64];
    let n = tokio::time::timeout(std::time::Duration::from_secs(5), tls.read(&mut buf))
        .await
        .map_err(|_| "timed out".to_owned())?
        .map_err(|e| e.to_string())?;
    buf.truncate(n);
    Ok((buf, alpn))
}

#[tokio::test]
async fn handshake_line_and_mutual_tls_with_terraforms_client_certificate() {
    let (pem, cert, key) = client_identity();
    let plugin = start_plugin(&pem);
    let fields = &plugin.fields;
    assert_eq!(fields.len(), 6, "{fields:?}");
    assert_eq!(&fields[..3], ["1", "6", "tcp"]);
    assert!(fields[3].starts_with("127.0.0.1:"), "{fields:?}");
    assert_eq!(fields[4], "grpc");
    let server_cert = CertificateDer::from(
        base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(&fields[5])
            .expect("unpadded base64 certificate"),
    );

    // Terraform's certificate: TLS with HTTP/2, and the server speaks first.
    let (bytes, alpn) = first_bytes(&fields[3], server_cert.clone(), (cert, key))
        .await
        .expect("Terraform's certificate is accepted");
    assert_eq!(alpn.as_deref(), Some(&b"h2"[..]));
    assert!(!bytes.is_empty(), "HTTP/2 settings frame");

    // Any other certificate is refused.
    let (_, other_cert, other_key) = client_identity();
    let refused = first_bytes(&fields[3], server_cert, (other_cert, other_key)).await;
    assert!(
        refused.is_err() || matches!(&refused, Ok((b, _)) if b.is_empty()),
        "a stranger's certificate must not get an HTTP/2 connection: {refused:?}"
    );
}

fn assert_terraform_used_mutual_tls(terraform: PathBuf) {
    let mut env = Env::with_terraform(terraform);
    let log = env.path().join("terraform.log");
    env.env("TF_LOG", "DEBUG");
    env.env("TF_LOG_PATH", log.to_str().unwrap());
    env.apply_config(
        r#"
provider "idcloudhost" {}
data "idcloudhost_locations" "all" {}
output "count" {
  value = length(data.idcloudhost_locations.all.locations)
}
"#,
    );
    assert!(env.outputs()["count"].as_i64().unwrap() > 0);
    let mut text = String::new();
    std::fs::File::open(&log)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    // The provider's own stderr line, which Terraform logs.
    assert!(
        text.contains("Serving the plugin protocol over mutual TLS (AutoMTLS)"),
        "the provider did not serve over mutual TLS:\n{text}"
    );
    assert!(!text.contains("without TLS"), "{text}");
    // Terraform's Shutdown was answered: the process exited on its own.
    assert!(!text.contains("plugin failed to exit gracefully"), "{text}");
}

#[test]
fn terraform_connects_over_mutual_tls_and_shuts_the_plugin_down() {
    assert_terraform_used_mutual_tls(common::terraform_binary());
}

#[test]
fn terraform_1_0_connects_over_mutual_tls_and_shuts_the_plugin_down() {
    assert_terraform_used_mutual_tls(terraform_1_0_binary());
}

#[test]
fn import_with_generated_configuration_uses_generate_resource_config() {
    let env = Env::new();
    let key =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE/SbnQxYwxO4peK4HGs3htL+dDoSTB/3LTmTJ0HsDbb t@e";
    let created = env.api().json(
        reqwest::Method::POST,
        "/v1/user-resource/ssh_keys",
        serde_json::json!({"name": "laptop", "public_key": key}),
    );
    let uuid = created["uuid"].as_str().unwrap();
    env.write_config(&format!(
        "provider \"idcloudhost\" {{}}\nimport {{\n  to = idcloudhost_ssh_key.k\n  id = \"{uuid}\"\n}}\n"
    ));
    let generated = env.generate_config();
    // What the provider's GenerateResourceConfig returned: the arguments, and
    // none of the computed-only attributes.
    assert!(generated.contains("name       = \"laptop\""), "{generated}");
    assert!(generated.contains(key), "{generated}");
    for computed in ["fingerprint", "created_at", "id "] {
        assert!(!generated.contains(computed), "{computed} in:\n{generated}");
    }
    // The generated configuration imports the key and changes nothing.
    env.apply();
    env.assert_no_changes();
    assert_eq!(env.resource("idcloudhost_ssh_key.k")["id"], uuid);
}
