# Terraform 1.12 and later. A key pair is identified by its access key.
import {
  to = idcloudhost_s3_credential.example
  identity = {
    id = "I16N8YDF6A6FX8ILP30T"
  }
}
