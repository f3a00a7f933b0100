use terraform_provider_idcloudhost::protocol::{self, LaunchError};
use terraform_provider_idcloudhost::IdcloudhostProvider;

/// musl's allocator (the static release) costs the plan of many resources
/// several percent of its CPU; see Cargo.toml.
#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // `--version` (or `-version`, `version`): what a release is, without Terraform.
    if let Some(arg) = std::env::args().nth(1) {
        if matches!(arg.as_str(), "--version" | "-version" | "-v" | "version") {
            println!(
                "{}",
                terraform_provider_idcloudhost::version::version_line()
            );
            return Ok(());
        }
    }
    match protocol::check_launch(|name| std::env::var(name).ok()) {
        Ok(()) => protocol::serve("idcloudhost", IdcloudhostProvider::new()).await,
        Err(LaunchError::NotTerraform) => {
            let binary = std::env::args()
                .next()
                .unwrap_or_else(|| "terraform-provider-idcloudhost".into());
            eprint!("{}", protocol::started_by_hand_message(&binary));
            std::process::exit(1)
        }
        Err(LaunchError::Protocol(message)) => {
            eprintln!("{message}");
            std::process::exit(1)
        }
    }
}
