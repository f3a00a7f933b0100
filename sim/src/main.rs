//! `idcloudhost-sim --listen 127.0.0.1:8080 --api-key KEY [--api-key KEY2 ...] [--brand idcloudhost|3nv|elastis] [--time-factor F] [--extra-location SLUG ...]`

use std::io::Write;

use idcloudhost_sim::{serve, Brand, SimConfig};

fn usage() -> ! {
    eprintln!(
        "usage: idcloudhost-sim [--listen ADDR] [--api-key KEY]... [--brand idcloudhost|3nv|elastis] [--time-factor F] [--extra-location SLUG]..."
    );
    std::process::exit(2);
}

fn main() {
    let mut listen = "127.0.0.1:8080".to_string();
    let mut keys = Vec::new();
    let mut brand = Brand::default();
    let mut time_factor = 0.0f64;
    let mut extra_locations = Vec::new();
    let parse_slug = |text: &str| -> String {
        let valid = !text.is_empty()
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        if !valid {
            eprintln!(
                "--extra-location takes a slug of lowercase letters and digits, not {text:?}"
            );
            usage()
        }
        text.to_string()
    };
    let parse_factor = |text: &str| -> f64 {
        match text.parse::<f64>() {
            Ok(f) if f >= 0.0 && f.is_finite() => f,
            _ => {
                eprintln!("--time-factor takes a number >= 0, not {text:?}");
                usage()
            }
        }
    };
    let parse_brand = |text: &str| -> Brand {
        text.parse().unwrap_or_else(|e: String| {
            eprintln!("{e}");
            usage()
        })
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--listen" => listen = args.next().unwrap_or_else(|| usage()),
            "--api-key" => keys.push(args.next().unwrap_or_else(|| usage())),
            "--brand" => brand = parse_brand(&args.next().unwrap_or_else(|| usage())),
            "--time-factor" => time_factor = parse_factor(&args.next().unwrap_or_else(|| usage())),
            "--extra-location" => {
                extra_locations.push(parse_slug(&args.next().unwrap_or_else(|| usage())))
            }
            "-h" | "--help" => usage(),
            other => {
                if let Some(v) = other.strip_prefix("--listen=") {
                    listen = v.to_string();
                } else if let Some(v) = other.strip_prefix("--api-key=") {
                    keys.push(v.to_string());
                } else if let Some(v) = other.strip_prefix("--brand=") {
                    brand = parse_brand(v);
                } else if let Some(v) = other.strip_prefix("--time-factor=") {
                    time_factor = parse_factor(v);
                } else if let Some(v) = other.strip_prefix("--extra-location=") {
                    extra_locations.push(parse_slug(v));
                } else {
                    eprintln!("unknown argument: {other}");
                    usage();
                }
            }
        }
    }
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start runtime: {e}");
            std::process::exit(1);
        }
    };
    let result = rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&listen).await?;
        let addr = listener.local_addr()?;
        {
            let mut out = std::io::stdout().lock();
            writeln!(out, "listening on http://{addr}")?;
            out.flush()?;
        }
        serve(
            listener,
            SimConfig {
                api_keys: keys,
                brand,
                time_factor,
                extra_locations,
            },
        )
        .await
    });
    if let Err(e) = result {
        eprintln!("idcloudhost-sim: {e}");
        std::process::exit(1);
    }
}
