//! The `kapi` binary: migrate, import, refusal to start, real causes on failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn kapi() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kapi"));
    for (k, _) in std::env::vars() {
        if k.starts_with("KAPI_") {
            c.env_remove(k);
        }
    }
    c.env("RUST_LOG", "warn");
    c
}

fn temp_db(name: &str) -> String {
    let dir = std::env::temp_dir().join("kapi-cli-tests");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(format!("{name}-{}.db", uuid::Uuid::now_v7().simple()))
        .to_str()
        .unwrap()
        .to_owned()
}

/// Writes `content` to a fresh CSV file and runs `kapi import <kind>` on it.
fn import(db: &str, kind: &str, content: &str) -> (bool, String, String) {
    let dir = std::env::temp_dir().join("kapi-cli-tests");
    let file = dir.join(format!("{kind}-{}.csv", uuid::Uuid::now_v7().simple()));
    std::fs::write(&file, content).unwrap();
    let out = kapi()
        .args(["--database-url", db, "import", kind, file.to_str().unwrap()])
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn migrate_then_import_occupations_and_detsis() {
    let db = temp_db("import");
    let out = kapi()
        .args(["--database-url", &db, "migrate"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let (ok, stdout, stderr) = import(
        &db,
        "occupations",
        "code,name\n9999.01,Deneme Mesleği\n9999.02,İkinci Deneme\n",
    );
    assert!(
        ok && stdout.contains("2 inserted, 0 updated"),
        "{stdout}{stderr}"
    );
    // Again with one renamed: an update, no duplicate.
    let (_, stdout, _) = import(
        &db,
        "occupations",
        "code,name\n9999.01,Deneme Mesleği (Yeni)\n9999.02,İkinci Deneme\n",
    );
    assert!(stdout.contains("0 inserted, 1 updated"), "{stdout}");
    // One bad row refuses the whole file, naming the line.
    let (ok, _, stderr) = import(
        &db,
        "occupations",
        "code,name\n9999.03,Geçerli\n99990,Bozuk Kod\n",
    );
    assert!(
        !ok && stderr.contains("line 3") && stderr.contains("nothing written"),
        "{stderr}"
    );

    let (ok, _, stderr) = import(&db, "detsis", "detsis_no,parent_detsis_no,name,province_code\n91000001,,Deneme Bakanlığı,\n91000002,91000001,Deneme İl Müdürlüğü,6\n");
    assert!(ok, "{stderr}");
    let (ok, _, stderr) = import(&db, "detsis", "detsis_no,parent_detsis_no,name,province_code\n92000001,92000002,A,\n92000002,92000001,B,\n");
    assert!(!ok && stderr.contains("loops"), "{stderr}");
    let (ok, _, stderr) = import(
        &db,
        "detsis",
        "detsis_no,parent_detsis_no,name,province_code\n93000001,93999999,Yetim,\n",
    );
    assert!(!ok && stderr.contains("does not exist"), "{stderr}");
}

#[test]
fn prod_refuses_to_start_without_a_secret() {
    let out = kapi()
        .args(["--profile", "prod", "--database-url", &temp_db("prod")])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("KAPI_JWT_SECRET"));
}

#[test]
fn a_down_database_prints_its_real_cause() {
    let out = kapi()
        .args([
            "--database-url",
            "postgres://postgres:secret@127.0.0.1:1/kapi",
            "migrate",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot connect to postgresql") && err.contains("127.0.0.1"),
        "{err}"
    );
    assert!(
        !err.contains("secret"),
        "the password is not printed: {err}"
    );
}

#[test]
fn invalid_settings_stop_the_program_with_a_message() {
    let out = kapi().args(["--jwt-ttl", "5", "migrate"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("jwt-ttl"));
    let out = kapi()
        .env("KAPI_PROFILE", "staging")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let out = kapi().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for v in [
        "KAPI_PROFILE",
        "KAPI_BIND",
        "KAPI_DATABASE_URL",
        "KAPI_DATA_DIR",
        "KAPI_JWT_SECRET",
        "KAPI_JWT_TTL",
        "KAPI_DB_POOL_SIZE",
    ] {
        assert!(help.contains(v), "{v} missing from --help");
    }
}

#[test]
fn openapi_command_prints_the_committed_specs() {
    // The default (dev) profile's spec, and the published one with `KAPI_PROFILE=prod`.
    for (profile, file) in [("dev", "openapi.dev.json"), ("prod", "openapi.json")] {
        let out = kapi()
            .env("KAPI_PROFILE", profile)
            .arg("openapi")
            .output()
            .unwrap();
        assert!(out.status.success(), "{profile}");
        let committed = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../openapi")
                .join(file),
        )
        .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim_end(),
            committed.trim_end(),
            "{file}"
        );
    }
}
