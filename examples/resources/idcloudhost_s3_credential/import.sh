# A key pair is imported by its access key.
terraform import idcloudhost_s3_credential.example I16N8YDF6A6FX8ILP30T
