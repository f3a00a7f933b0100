use terraform_provider_idcloudhost::{protocol, IdcloudhostProvider};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    if let Err(reason) = protocol::check_launch(|name| std::env::var(name).ok()) {
        let binary = std::env::args()
            .next()
            .unwrap_or_else(|| "terraform-provider-idcloudhost".into());
        eprintln!("{}", protocol::started_by_hand_message(&binary));
        eprintln!("({reason})");
        std::process::exit(1);
    }
    protocol::serve("idcloudhost", IdcloudhostProvider::new()).await
}
