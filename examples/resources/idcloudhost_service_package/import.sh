# A service package is identified by its uuid (the package endpoints are
# global; its location is read from the API).
terraform import idcloudhost_service_package.example 71cddf54-35ed-4f6e-bdf7-d344bbf0a546
