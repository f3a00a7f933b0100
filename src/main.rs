use terraform_provider_idcloudhost::IdcloudhostProvider;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tf_provider::serve("idcloudhost", IdcloudhostProvider::new()).await
}
