//! Generates the plugin-protocol server code from `proto/` with protox, a
//! protobuf compiler written in Rust: the build needs no `protoc`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // scripts/release.sh builds a release as the version it is given (src/version.rs).
    println!("cargo:rerun-if-env-changed=IDCLOUDHOST_PROVIDER_VERSION");
    let files = ["proto/tfplugin6.proto", "proto/plugin.proto"];
    for file in files {
        println!("cargo:rerun-if-changed={file}");
    }
    let descriptors = protox::compile(files, ["proto"])?;
    tonic_build::configure()
        .build_client(false)
        .build_transport(false)
        .compile_fds(descriptors)?;
    Ok(())
}
