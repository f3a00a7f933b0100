# An S3 key pair for this run only: generated when Terraform opens it (in plan,
# and again in apply) and deleted when the run ends. Neither key reaches the
# plan or the state.
ephemeral "idcloudhost_s3_credential" "upload" {}

resource "idcloudhost_bucket" "site" {
  name = "example-site-assets"
}

# Uploads the site with the AWS CLI once the bucket exists; the keys live in the
# command's environment only.
resource "terraform_data" "upload" {
  triggers_replace = [idcloudhost_bucket.site.name]

  provisioner "local-exec" {
    command = "aws s3 sync ./public s3://${idcloudhost_bucket.site.name}/ --endpoint-url ${ephemeral.idcloudhost_s3_credential.upload.endpoint}"
    environment = {
      AWS_ACCESS_KEY_ID     = ephemeral.idcloudhost_s3_credential.upload.access_key
      AWS_SECRET_ACCESS_KEY = ephemeral.idcloudhost_s3_credential.upload.secret_key
    }
  }
}
