//! The container recipe stays coherent with the crate: it builds with the
//! Rust version the crate declares, and the command it runs is one
//! `conform` accepts and serves with on every interface. (No Docker
//! engine is needed: the command runs here as the image would run it.)

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).expect(path)
}

/// The `rust-version` of Cargo.toml.
fn declared_rust() -> String {
    let manifest: toml::Value = toml::from_str(&read("Cargo.toml")).expect("Cargo.toml parses");
    manifest["package"]["rust-version"]
        .as_str()
        .expect("a rust-version")
        .to_string()
}

#[test]
fn the_dockerfile_builds_with_the_declared_rust_version() {
    let dockerfile = read("Dockerfile");
    let from = dockerfile
        .lines()
        .find(|l| l.starts_with("FROM rust:"))
        .expect("a rust build stage");
    let rust = declared_rust();
    assert!(
        from.starts_with(&format!("FROM rust:{rust}-")),
        "{from} (Cargo.toml says {rust})"
    );
    assert!(
        dockerfile.contains("--locked"),
        "the image builds from Cargo.lock"
    );
    let readme = read("README.md");
    assert!(
        readme.contains(&format!("Rust {rust} or newer")),
        "the README names the minimum Rust version {rust}"
    );
}

#[test]
fn the_dockerfile_command_serves_the_specs_on_every_interface() {
    let dockerfile = read("Dockerfile");
    let cmd = dockerfile
        .lines()
        .find_map(|l| l.strip_prefix("CMD "))
        .expect("a CMD line");
    let args: Vec<String> = serde_json::from_str(cmd).expect("CMD in exec form");
    assert!(dockerfile.contains("COPY specs /specs"), "{dockerfile}");
    assert_eq!(
        args.iter()
            .position(|a| a == "--port")
            .map(|i| &args[i + 1]),
        Some(&"8080".to_string())
    );
    // As the image runs it, with the image's paths and a free port.
    let here: Vec<String> = args
        .iter()
        .map(|a| match a.as_str() {
            "/specs" => "specs/".to_string(),
            "8080" => "0".to_string(),
            _ => a.clone(),
        })
        .collect();
    let mut child = Command::new(env!("CARGO_BIN_EXE_conform"))
        .args(&here)
        .arg("--quiet")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("conform starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("a URL line");
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        line.starts_with("http://0.0.0.0:"),
        "{here:?} printed {line:?}"
    );
}
