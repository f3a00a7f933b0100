//! Which Terraform command started this provider, as far as it concerns plans.
//!
//! `terraform destroy` (and `plan -destroy`, `apply -destroy`) first refreshes
//! the state with an ordinary plan of the configuration, whose result it
//! discards, but whose errors abort the destroy. The plugin protocol does not
//! say that a plan is this pre-destroy refresh, so the provider reads the
//! command line of the Terraform process that started it (its parent) and the
//! `TF_CLI_ARGS*` variables Terraform adds to it. In a destroy run, plans skip
//! every check that only concerns changes (see `Managed::plan_update`), so
//! nothing but the deletes themselves can block a destroy. When the command
//! line cannot be read, plans behave as in any other run.

use std::sync::OnceLock;

/// Terraform subcommands that plan: the first of these on the command line is
/// the command being run.
const PLANNING: &[&str] = &[
    "apply", "destroy", "plan", "refresh", "import", "test", "console",
];

/// True when this provider serves a `terraform destroy`, `plan -destroy` or
/// `apply -destroy` (read once, then remembered: one process serves one command).
pub fn destroying() -> bool {
    static DESTROYING: OnceLock<bool> = OnceLock::new();
    *DESTROYING.get_or_init(|| {
        let args = parent_args().unwrap_or_default();
        let extra = |name: &str| {
            std::env::var(name)
                .map(|v| v.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
                .unwrap_or_default()
        };
        let destroying = is_destroy(&args, &|command| {
            let mut words = extra("TF_CLI_ARGS");
            words.extend(extra(&format!("TF_CLI_ARGS_{command}")));
            words
        });
        if destroying {
            crate::logging::log(
                crate::logging::Level::Info,
                crate::logging::MODULE_RPC,
                "Serving a destroy: plans skip the checks that only concern changes",
                &[],
            );
        }
        destroying
    })
}

/// Whether a Terraform command line (program and arguments) runs a destroy;
/// `extra(command)` gives the arguments Terraform adds from the environment.
pub fn is_destroy(args: &[String], extra: &dyn Fn(&str) -> Vec<String>) -> bool {
    let Some(position) = args.iter().position(|a| PLANNING.contains(&a.as_str())) else {
        return false;
    };
    let command = args[position].as_str();
    match command {
        "destroy" => true,
        "plan" | "apply" => {
            let mut flags: Vec<String> = args[position + 1..].to_vec();
            flags.extend(extra(command));
            // The last -destroy flag wins, as in Terraform's flag parsing.
            flags
                .iter()
                .filter_map(|flag| destroy_flag(flag))
                .next_back()
                .unwrap_or(false)
        }
        _ => false,
    }
}

/// The value of a `-destroy` flag (`-destroy`, `--destroy`, `-destroy=false`).
fn destroy_flag(flag: &str) -> Option<bool> {
    let name = flag.strip_prefix("--").or_else(|| flag.strip_prefix('-'))?;
    match name.split_once('=') {
        None if name == "destroy" => Some(true),
        Some(("destroy", value)) => Some(!matches!(
            value,
            "false" | "0" | "f" | "F" | "FALSE" | "False"
        )),
        _ => None,
    }
}

/// The command line of the process that started this one.
fn parent_args() -> Option<Vec<String>> {
    #[cfg(unix)]
    {
        let parent = std::os::unix::process::parent_id();
        if let Ok(raw) = std::fs::read(format!("/proc/{parent}/cmdline")) {
            return Some(
                raw.split(|b| *b == 0)
                    .filter(|part| !part.is_empty())
                    .map(|part| String::from_utf8_lossy(part).into_owned())
                    .collect(),
            );
        }
        // No /proc (macOS, BSD): ask ps.
        let out = std::process::Command::new("ps")
            .args(["-o", "args=", "-p", &parent.to_string()])
            .output()
            .ok()?;
        out.status.success().then(|| {
            String::from_utf8_lossy(&out.stdout)
                .split_whitespace()
                .map(str::to_owned)
                .collect()
        })
    }
    #[cfg(not(unix))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    fn none(_: &str) -> Vec<String> {
        Vec::new()
    }

    #[test]
    fn destroy_runs_are_recognised_in_every_form() {
        for line in [
            "terraform destroy -auto-approve",
            "/usr/bin/terraform -chdir=infra destroy",
            "python3 /opt/bin/terraform destroy -auto-approve -no-color",
            "terraform plan -destroy -out=tfplan",
            "terraform apply -auto-approve -destroy",
            "terraform apply --destroy=true",
        ] {
            assert!(is_destroy(&args(line), &none), "{line}");
        }
    }

    #[test]
    fn other_runs_are_not_destroys() {
        for line in [
            "terraform plan -out=tfplan",
            "terraform apply -auto-approve",
            // A saved plan file that happens to be called destroy.
            "terraform apply destroy",
            "terraform apply -destroy -destroy=false",
            "terraform import idcloudhost_vm.destroy jkt01/abc",
            "terraform refresh",
            "",
        ] {
            assert!(!is_destroy(&args(line), &none), "{line}");
        }
    }

    #[test]
    fn flags_from_the_environment_count() {
        let extra = |command: &str| {
            if command == "plan" {
                args("-destroy")
            } else {
                Vec::new()
            }
        };
        assert!(is_destroy(&args("terraform plan"), &extra));
        assert!(!is_destroy(&args("terraform apply"), &extra));
    }
}
