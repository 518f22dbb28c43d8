//! Golden files for the `recommended` profile: every combination of
//! strategy, kms, superuser_kms, vpc and source_arn, and beside them each
//! engine, `random_password: false` and the RDS-managed superuser secrets
//! (alternating users, no VPC), compared byte for byte with
//! `tests/golden/recommended/`.
//!
//! The files were written by the code (`UPDATE_GOLDEN=1 cargo test --test
//! golden_recommended`), read by eye against the README, then pinned. After a
//! deliberate change to the output, regenerate them the same way and review
//! the diff.
//!
//! Each document is stored once per set of options it depends on: the
//! resource policy depends on `source_arn` only (every other value is a
//! placeholder here), the execution role policy on everything else. Every
//! combination is still generated and compared, so an option leaking into a
//! document it must not affect makes two combinations disagree with one file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rotation_policy::{Engine, Kms, RotationSpec, Strategy};

const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const OTHER_KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
const SUPERUSER: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123";
const RDS_DB_SUPERUSER: &str =
    "arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!db-8eb13df2-5d5d-467f-b28c-5c1cab606a06-bKUjnr";
const RDS_CLUSTER_SUPERUSER: &str =
    "arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!cluster-a1b2c3d4-5678-90ab-cdef-EXAMPLE11111-a1b2c3";

/// The superuser secret given beside the options.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Superuser {
    /// Whatever the strategy and `superuser_kms` call for.
    Default,
    RdsDb,
    RdsCluster,
}

#[derive(Debug, Clone, Copy)]
enum KmsCase {
    AwsManaged,
    CustomerManaged,
    Key,
}

#[derive(Debug, Clone, Copy)]
enum SuperuserKms {
    Absent,
    SameAsKms,
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Combination {
    strategy: Strategy,
    kms: KmsCase,
    superuser_kms: SuperuserKms,
    vpc: bool,
    source_arn: bool,
    random_password: bool,
    engine: Engine,
    superuser: Superuser,
}

impl Combination {
    /// Every valid combination. `superuser_kms` equal to the `kms` key needs
    /// a key ARN; with `single_user` a `superuser_kms` needs a superuser
    /// secret, which these combinations then give (RDS Db2 single-user
    /// rotation reads the admin secret).
    fn all() -> Vec<Combination> {
        let mut out = Vec::new();
        for strategy in [Strategy::SingleUser, Strategy::AlternatingUsers] {
            for kms in [KmsCase::AwsManaged, KmsCase::CustomerManaged, KmsCase::Key] {
                for superuser_kms in [SuperuserKms::Absent, SuperuserKms::SameAsKms, SuperuserKms::Other] {
                    if matches!(superuser_kms, SuperuserKms::SameAsKms) && !matches!(kms, KmsCase::Key) {
                        continue;
                    }
                    for vpc in [true, false] {
                        for source_arn in [false, true] {
                            out.push(Combination {
                                strategy,
                                kms,
                                superuser_kms,
                                vpc,
                                source_arn,
                                random_password: true,
                                engine: Engine::Generic,
                                superuser: Superuser::Default,
                            });
                        }
                    }
                }
            }
        }
        // Each option of its own, on alternating users without a VPC.
        let base = Combination {
            strategy: Strategy::AlternatingUsers,
            kms: KmsCase::AwsManaged,
            superuser_kms: SuperuserKms::Absent,
            vpc: false,
            source_arn: false,
            random_password: true,
            engine: Engine::Generic,
            superuser: Superuser::Default,
        };
        for engine in Engine::ALL.into_iter().skip(1) {
            out.push(Combination { engine, ..base });
        }
        out.push(Combination {
            random_password: false,
            ..base
        });
        for superuser in [Superuser::RdsDb, Superuser::RdsCluster] {
            out.push(Combination { superuser, ..base });
        }
        out
    }

    fn spec(self) -> RotationSpec {
        let mut builder = RotationSpec::builder(self.strategy)
            .vpc(self.vpc)
            .source_arn(self.source_arn)
            .random_password(self.random_password)
            .engine(self.engine)
            .kms(match self.kms {
                KmsCase::AwsManaged => Kms::AwsManaged,
                KmsCase::CustomerManaged => Kms::CustomerManaged,
                KmsCase::Key => Kms::Key(KEY.to_owned()),
            });
        let superuser_kms = match self.superuser_kms {
            SuperuserKms::Absent => None,
            SuperuserKms::SameAsKms => Some(KEY),
            SuperuserKms::Other => Some(OTHER_KEY),
        };
        if let Some(key) = superuser_kms {
            builder = builder.superuser_kms(key);
            if self.strategy == Strategy::SingleUser {
                builder = builder.superuser_secret(SUPERUSER);
            }
        }
        match self.superuser {
            Superuser::Default => {}
            Superuser::RdsDb => builder = builder.superuser_secret(RDS_DB_SUPERUSER),
            Superuser::RdsCluster => builder = builder.superuser_secret(RDS_CLUSTER_SUPERUSER),
        }
        builder
            .build()
            .unwrap_or_else(|e| panic!("{self:?} is valid: {e}"))
    }

    fn resource_policy_file(self) -> String {
        let source_arn = if self.source_arn { ".source_arn" } else { "" };
        format!("resource_policy{source_arn}.json")
    }

    fn execution_role_policy_file(self) -> String {
        let strategy = self.strategy.name();
        let kms = match self.kms {
            KmsCase::AwsManaged => "kms_aws_managed",
            KmsCase::CustomerManaged => "kms_placeholder",
            KmsCase::Key => "kms_key",
        };
        let superuser_kms = match self.superuser_kms {
            SuperuserKms::Absent => "",
            SuperuserKms::SameAsKms => ".superuser_kms_same",
            SuperuserKms::Other => ".superuser_kms_other",
        };
        let vpc = if self.vpc { "vpc" } else { "no_vpc" };
        let random_password = if self.random_password {
            ""
        } else {
            ".no_random_password"
        };
        let engine = match self.engine {
            Engine::Generic => String::new(),
            engine => format!(".engine_{}", engine.name()),
        };
        let superuser = match self.superuser {
            Superuser::Default => "",
            Superuser::RdsDb => ".superuser_rds_db",
            Superuser::RdsCluster => ".superuser_rds_cluster",
        };
        format!(
            "execution_role_policy.{strategy}.{kms}{superuser_kms}{superuser}.{vpc}{random_password}{engine}.json"
        )
    }
}

fn golden_dir() -> PathBuf {
    [env!("CARGO_MANIFEST_DIR"), "tests", "golden", "recommended"]
        .iter()
        .collect()
}

fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1")
}

/// Compares `actual` with the golden file `name` (or records it for
/// writing under `UPDATE_GOLDEN=1`).
fn check(
    dir: &Path,
    name: &str,
    actual: &str,
    combination: Combination,
    seen: &mut BTreeMap<String, String>,
) {
    if let Some(previous) = seen.get(name) {
        assert_eq!(
            previous, actual,
            "{combination:?} generates a different `{name}` than an earlier combination \
             sharing that file: an option affects a document it must not"
        );
        return;
    }
    seen.insert(name.to_owned(), actual.to_owned());
    if updating() {
        return;
    }
    let path = dir.join(name);
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "golden file {} is missing or unreadable ({e}); write it with \
             `UPDATE_GOLDEN=1 cargo test --test golden_recommended`, then review it",
            path.display()
        )
    });
    assert_eq!(
        expected,
        actual,
        "{combination:?} differs from {}; if the change is intended, regenerate with \
         `UPDATE_GOLDEN=1 cargo test --test golden_recommended` and review the diff",
        path.display()
    );
}

#[test]
fn every_combination_matches_its_golden_files() {
    let dir = golden_dir();
    let combinations = Combination::all();
    assert_eq!(combinations.len(), 56 + 11 + 1 + 2);
    let mut seen = BTreeMap::new();
    for combination in combinations {
        let spec = combination.spec();
        assert!(
            spec.warnings().is_empty(),
            "{combination:?}: {:?}",
            spec.warnings()
        );
        let resource = spec.resource_policy_json() + "\n";
        let role = spec.execution_role_policy_json() + "\n";
        check(
            &dir,
            &combination.resource_policy_file(),
            &resource,
            combination,
            &mut seen,
        );
        check(
            &dir,
            &combination.execution_role_policy_file(),
            &role,
            combination,
            &mut seen,
        );
    }
    if updating() {
        std::fs::create_dir_all(&dir).expect("create the golden directory");
        let stale = std::fs::read_dir(&dir).expect("read the golden directory");
        for entry in stale.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".json") && !seen.contains_key(&name) {
                std::fs::remove_file(entry.path()).expect("remove a stale golden file");
            }
        }
        for (name, text) in &seen {
            std::fs::write(dir.join(name), text).expect("write a golden file");
        }
    }
    // No golden file is left unused: each one is checked by some combination.
    let on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("read the golden directory")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    for name in &on_disk {
        assert!(
            seen.contains_key(name),
            "golden file {name} is not generated by any combination"
        );
    }
    assert_eq!(on_disk.len(), seen.len());
}
