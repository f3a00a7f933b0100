//! The provider's own version, as a release names it, and the `User-Agent` the API
//! client sends.

/// The version this binary was built as: `IDCLOUDHOST_PROVIDER_VERSION` at build
/// time (`scripts/release.sh VERSION` sets it), else the crate's version.
pub const VERSION: &str = match option_env!("IDCLOUDHOST_PROVIDER_VERSION") {
    Some(version) => version,
    None => env!("CARGO_PKG_VERSION"),
};

/// The `User-Agent` of every API request:
/// `terraform-provider-idcloudhost/VERSION (+terraform TF_VERSION)`, with the
/// Terraform version from `ConfigureProvider`; without one (a client made outside
/// Terraform), the product token alone.
pub fn user_agent(terraform_version: &str) -> String {
    let product = format!("terraform-provider-idcloudhost/{VERSION}");
    // Only what a header value may hold; Terraform sends a plain version.
    let terraform: String = terraform_version
        .trim()
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .collect();
    if terraform.is_empty() {
        product
    } else {
        format!("{product} (+terraform {terraform})")
    }
}

/// What `terraform-provider-idcloudhost --version` prints.
pub fn version_line() -> String {
    format!("terraform-provider-idcloudhost {VERSION}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_names_the_provider_and_terraform_versions() {
        assert_eq!(
            user_agent("1.15.2"),
            format!("terraform-provider-idcloudhost/{VERSION} (+terraform 1.15.2)")
        );
        assert_eq!(
            user_agent(""),
            format!("terraform-provider-idcloudhost/{VERSION}")
        );
        assert_eq!(
            user_agent(" 1.0.3\n"),
            format!("terraform-provider-idcloudhost/{VERSION} (+terraform 1.0.3)")
        );
    }

    #[test]
    fn version_is_the_crate_version_unless_a_release_names_another() {
        let expected =
            option_env!("IDCLOUDHOST_PROVIDER_VERSION").unwrap_or(env!("CARGO_PKG_VERSION"));
        assert_eq!(VERSION, expected);
        assert_eq!(
            version_line(),
            format!("terraform-provider-idcloudhost {expected}")
        );
    }
}
