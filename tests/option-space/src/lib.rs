//! The option space of the rotation policy generator, defined once.
//!
//! Every test and script that runs "every option combination" reads it from
//! here: the CLI's parity table (`cli/tests/parity.rs`), the core tests that
//! lint, check and property-test the generated documents, and, through this
//! crate's `option-space` binary, `scripts/cfn-lint-all.sh` and
//! `scripts/oracles.py`.
//!
//! Each option is a [`Dimension`]; each of its [`Choice`]s says how that
//! choice is written at every door: the runtime builder's setters, the
//! `rotation-policy generate` flags, and the `key: value` pairs of the
//! `rotation_policy!` DSL. [`combinations`] is the product of the dimensions
//! minus the [`CONFLICTS`] the builder rejects.
//!
//! To add an option: add a `Dimension` to [`DIMENSIONS`] whose first choice
//! leaves the option out. Labels leave out first choices, so every existing
//! label stays the same, and every table test and script picks the new
//! choices up. A new choice of an existing option is one more entry in its
//! dimension.

#![forbid(unsafe_code)]

use std::fmt;

use rotation_policy_core::{
    Engine, Kms, Placeholder, Profile, RotationSpec, RotationSpecBuilder, SpecError, Strategy,
};

/// The concrete values a combination puts in the options it gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Values {
    /// `account`
    pub account: String,
    /// `secret`
    pub secret: String,
    /// `function`
    pub function: String,
    /// `superuser_secret`
    pub superuser_secret: String,
    /// The `kms` key, also `superuser_kms` when it is the same key.
    pub kms_key: String,
    /// `superuser_kms` when it is another key.
    pub other_kms_key: String,
    /// A `superuser_secret` that RDS manages (`rds!db-...`).
    pub rds_superuser_secret: String,
    /// The region of the ARNs, which `${AWS::Region}` stands for.
    pub region: String,
    /// The partition of the ARNs, which `${AWS::Partition}` stands for.
    pub partition: String,
}

impl Values {
    /// One account in `us-east-1`: the values of the README's examples.
    pub fn example() -> Values {
        Values {
            account: "111122223333".to_owned(),
            secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf".to_owned(),
            function: "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db".to_owned(),
            superuser_secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123".to_owned(),
            kms_key: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab".to_owned(),
            other_kms_key: "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
                .to_owned(),
            rds_superuser_secret:
                "arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!db-8eb13df2-5d5d-467f-b28c-5c1cab606a06-bKUjnr"
                    .to_owned(),
            region: "us-east-1".to_owned(),
            partition: "aws".to_owned(),
        }
    }

    /// The value CloudFormation's `Fn::Sub` would put in `placeholder` when
    /// the template's parameters are these values.
    pub fn fill(&self, placeholder: Placeholder) -> &str {
        match placeholder {
            Placeholder::AccountId => &self.account,
            Placeholder::SecretArn => &self.secret,
            Placeholder::RotationLambdaArn => &self.function,
            Placeholder::SuperuserSecretArn => &self.superuser_secret,
            Placeholder::KmsKeyArn => &self.kms_key,
            Placeholder::Region => &self.region,
            Placeholder::Partition => &self.partition,
            other => panic!("the option space has no example value for `{other}`: add one"),
        }
    }

    /// `(name, value)` for every placeholder, as `rotation_policy_core::render` takes them.
    pub fn fills(&self) -> Vec<(&'static str, &str)> {
        Placeholder::ALL
            .into_iter()
            .map(|p| (p.name(), self.fill(p)))
            .collect()
    }
}

/// A value as the `rotation_policy!` DSL writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DslValue {
    /// A string literal.
    Str(String),
    /// `true` or `false`.
    Bool(bool),
    /// An identifier such as `alternating_users`.
    Ident(&'static str),
}

impl DslValue {
    /// The value as `RotationSpecBuilder::set` takes it (the macro's way in).
    pub fn as_core(&self) -> rotation_policy_core::DslValue<'_> {
        match self {
            DslValue::Str(s) => rotation_policy_core::DslValue::Str(s),
            DslValue::Bool(b) => rotation_policy_core::DslValue::Bool(*b),
            DslValue::Ident(name) => rotation_policy_core::DslValue::Ident(name),
        }
    }
}

/// The value as it is written in source: `"..."` (Rust string escapes),
/// `true`, or the identifier.
impl fmt::Display for DslValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DslValue::Str(s) => write!(f, "{s:?}"),
            DslValue::Bool(b) => write!(f, "{b}"),
            DslValue::Ident(name) => f.write_str(name),
        }
    }
}

/// One way to set an option, at every door.
#[derive(Debug, Clone, Copy)]
pub struct Choice {
    /// Unique among all choices: a segment of a combination's label.
    pub label: &'static str,
    /// The builder setters.
    pub builder: fn(RotationSpecBuilder, &Values) -> RotationSpecBuilder,
    /// The `rotation-policy generate` / `check` flags.
    pub cli: fn(&Values) -> Vec<String>,
    /// The `rotation_policy!` pairs.
    pub dsl: fn(&Values) -> Vec<(&'static str, DslValue)>,
}

/// An option and its choices. The first choice leaves the option out (its
/// default), unless the option is required.
#[derive(Debug)]
pub struct Dimension {
    /// The name scripts group by (`values`, `kms`, ...).
    pub name: &'static str,
    /// Whether every combination gives the option (`strategy`); otherwise
    /// the first choice gives nothing and labels leave it out.
    pub required: bool,
    /// The choices, the default first.
    pub choices: &'static [Choice],
}

fn none<T>(_: &Values) -> Vec<T> {
    Vec::new()
}

fn args(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn str_value(s: &str) -> DslValue {
    DslValue::Str(s.to_owned())
}

/// Leaves the option out.
macro_rules! default_choice {
    ($label:literal) => {
        Choice {
            label: $label,
            builder: |b, _| b,
            cli: none,
            dsl: none,
        }
    };
}

/// `strategy` (required).
pub const STRATEGY: Dimension = Dimension {
    name: "strategy",
    required: true,
    choices: &[
        Choice {
            label: "single_user",
            builder: |b, _| b.strategy(Strategy::SingleUser),
            cli: |_| args(&["--strategy", "single-user"]),
            dsl: |_| vec![("strategy", DslValue::Ident("single_user"))],
        },
        Choice {
            label: "alternating_users",
            builder: |b, _| b.strategy(Strategy::AlternatingUsers),
            cli: |_| args(&["--strategy", "alternating-users"]),
            dsl: |_| vec![("strategy", DslValue::Ident("alternating_users"))],
        },
    ],
};

/// `account`, `secret` and `function`: placeholders, or all three given.
pub const VALUES: Dimension = Dimension {
    name: "values",
    required: false,
    choices: &[
        default_choice!("placeholders"),
        Choice {
            label: "concrete",
            builder: |b, v| b.account(&v.account).secret(&v.secret).function(&v.function),
            cli: |v| {
                args(&[
                    "--account",
                    &v.account,
                    "--secret",
                    &v.secret,
                    "--function",
                    &v.function,
                ])
            },
            dsl: |v| {
                vec![
                    ("account", str_value(&v.account)),
                    ("secret", str_value(&v.secret)),
                    ("function", str_value(&v.function)),
                ]
            },
        },
    ],
};

/// `kms`: the AWS managed key, a customer managed key without its ARN, or a key ARN.
pub const KMS: Dimension = Dimension {
    name: "kms",
    required: false,
    choices: &[
        default_choice!("no_kms"),
        Choice {
            label: "kms_true",
            builder: |b, _| b.kms(Kms::CustomerManaged),
            cli: |_| args(&["--kms"]),
            dsl: |_| vec![("kms", DslValue::Bool(true))],
        },
        Choice {
            label: "kms_key",
            builder: |b, v| b.kms(Kms::Key(v.kms_key.clone())),
            cli: |v| args(&["--kms-key", &v.kms_key]),
            dsl: |v| vec![("kms", str_value(&v.kms_key))],
        },
    ],
};

/// `superuser_secret` and `superuser_kms`.
pub const SUPERUSER: Dimension = Dimension {
    name: "superuser",
    required: false,
    choices: &[
        default_choice!("no_superuser"),
        Choice {
            label: "superuser_secret",
            builder: |b, v| b.superuser_secret(&v.superuser_secret),
            cli: |v| args(&["--superuser-secret", &v.superuser_secret]),
            dsl: |v| vec![("superuser_secret", str_value(&v.superuser_secret))],
        },
        // The superuser secret encrypted with the `kms` key: one KMS
        // statement covers both secrets when `kms` is that key ARN.
        Choice {
            label: "superuser_same_key",
            builder: |b, v| b.superuser_secret(&v.superuser_secret).superuser_kms(&v.kms_key),
            cli: |v| {
                args(&[
                    "--superuser-secret",
                    &v.superuser_secret,
                    "--superuser-kms-key",
                    &v.kms_key,
                ])
            },
            dsl: |v| {
                vec![
                    ("superuser_secret", str_value(&v.superuser_secret)),
                    ("superuser_kms", str_value(&v.kms_key)),
                ]
            },
        },
        Choice {
            label: "superuser_other_key",
            builder: |b, v| {
                b.superuser_secret(&v.superuser_secret)
                    .superuser_kms(&v.other_kms_key)
            },
            cli: |v| {
                args(&[
                    "--superuser-secret",
                    &v.superuser_secret,
                    "--superuser-kms-key",
                    &v.other_kms_key,
                ])
            },
            dsl: |v| {
                vec![
                    ("superuser_secret", str_value(&v.superuser_secret)),
                    ("superuser_kms", str_value(&v.other_kms_key)),
                ]
            },
        },
        // A superuser secret that RDS manages: read-only RDS access too.
        Choice {
            label: "superuser_rds",
            builder: |b, v| b.superuser_secret(&v.rds_superuser_secret),
            cli: |v| args(&["--superuser-secret", &v.rds_superuser_secret]),
            dsl: |v| vec![("superuser_secret", str_value(&v.rds_superuser_secret))],
        },
        // Alternating users only: the superuser secret stays `${SuperuserSecretArn}`.
        Choice {
            label: "superuser_kms_only",
            builder: |b, v| b.superuser_kms(&v.other_kms_key),
            cli: |v| args(&["--superuser-kms-key", &v.other_kms_key]),
            dsl: |v| vec![("superuser_kms", str_value(&v.other_kms_key))],
        },
    ],
};

/// `vpc` (default `true`).
pub const VPC: Dimension = Dimension {
    name: "vpc",
    required: false,
    choices: &[
        default_choice!("vpc"),
        Choice {
            label: "no_vpc",
            builder: |b, _| b.vpc(false),
            cli: |_| args(&["--no-vpc"]),
            dsl: |_| vec![("vpc", DslValue::Bool(false))],
        },
    ],
};

/// `source_arn` (default `false`).
pub const SOURCE_ARN: Dimension = Dimension {
    name: "source_arn",
    required: false,
    choices: &[
        default_choice!("no_source_arn"),
        Choice {
            label: "source_arn",
            builder: |b, _| b.source_arn(true),
            cli: |_| args(&["--source-arn"]),
            dsl: |_| vec![("source_arn", DslValue::Bool(true))],
        },
    ],
};

/// `random_password` (default `true`).
pub const RANDOM_PASSWORD: Dimension = Dimension {
    name: "random_password",
    required: false,
    choices: &[
        default_choice!("random_password"),
        Choice {
            label: "no_random_password",
            builder: |b, _| b.random_password(false),
            cli: |_| args(&["--no-random-password"]),
            dsl: |_| vec![("random_password", DslValue::Bool(false))],
        },
    ],
};

/// One `engine` choice, at every door.
macro_rules! engine_choice {
    ($label:literal, $engine:expr, $cli:literal) => {
        Choice {
            label: $label,
            builder: |b, _| b.engine($engine),
            cli: |_| args(&["--engine", $cli]),
            dsl: |_| vec![("engine", DslValue::Ident($label))],
        }
    };
}

/// `engine`, every value (`generic` first, left out as the default).
pub const ENGINE: Dimension = Dimension {
    name: "engine",
    required: false,
    choices: &[
        default_choice!("generic"),
        engine_choice!("mysql", Engine::MySql, "mysql"),
        engine_choice!("postgres", Engine::Postgres, "postgres"),
        engine_choice!("mariadb", Engine::MariaDb, "mariadb"),
        engine_choice!("oracle", Engine::Oracle, "oracle"),
        engine_choice!("sqlserver", Engine::SqlServer, "sqlserver"),
        engine_choice!("db2", Engine::Db2, "db2"),
        engine_choice!("redshift", Engine::Redshift, "redshift"),
        engine_choice!("documentdb", Engine::DocumentDb, "documentdb"),
        engine_choice!("elasticache", Engine::ElastiCache, "elasticache"),
        engine_choice!("active_directory", Engine::ActiveDirectory, "active-directory"),
        engine_choice!("influxdb", Engine::InfluxDb, "influxdb"),
    ],
};

/// `profile` (default `recommended`).
pub const PROFILE: Dimension = Dimension {
    name: "profile",
    required: false,
    choices: &[
        default_choice!("recommended"),
        Choice {
            label: "aws_doc_2021",
            builder: |b, _| b.profile(Profile::AwsDoc2021),
            cli: |_| args(&["--profile", "aws-doc-2021"]),
            dsl: |_| vec![("profile", DslValue::Ident("aws_doc_2021"))],
        },
        Choice {
            label: "aws_doc_2025",
            builder: |b, _| b.profile(Profile::AwsDoc2025),
            cli: |_| args(&["--profile", "aws-doc-2025"]),
            dsl: |_| vec![("profile", DslValue::Ident("aws_doc_2025"))],
        },
    ],
};

/// The options whose statements interact (the key statements depend on the
/// superuser secret, the condition on the profile...), in label order: their
/// full product. `random_password` and `engine` only add or leave out
/// statements of their own, so they are crossed with the options they
/// interact with in [`ENGINE_DIMENSIONS`] instead, which keeps the product
/// in the hundreds.
pub const DIMENSIONS: &[Dimension] = &[STRATEGY, VALUES, KMS, SUPERUSER, VPC, SOURCE_ARN, PROFILE];

/// The dimensions of [`engine_combinations`]: every engine, with and without
/// a random password, with each strategy, both kinds of values and every
/// superuser secret choice (an RDS-managed one adds grants of its own), the
/// other options at their defaults.
pub const ENGINE_DIMENSIONS: &[Dimension] = &[STRATEGY, VALUES, SUPERUSER, RANDOM_PASSWORD, ENGINE];

/// Two choices the builder rejects together.
#[derive(Debug)]
pub struct Conflict {
    /// A choice label.
    pub a: &'static str,
    /// Another dimension's choice label.
    pub b: &'static str,
    /// Why the builder rejects them.
    pub why: &'static str,
}

/// The choices [`combinations`] never pairs.
pub const CONFLICTS: &[Conflict] = &[Conflict {
    a: "single_user",
    b: "superuser_kms_only",
    why: "`superuser_kms` needs a superuser secret, and single_user has none unless it is given",
}];

/// One choice in every dimension.
#[derive(Clone)]
pub struct Combination {
    /// Each dimension with the index of its choice.
    picks: Vec<(&'static Dimension, usize)>,
}

impl Combination {
    /// Stable and unique: the strategy, then every choice that gives an
    /// option, in [`DIMENSIONS`] order, joined by `.`
    /// (`alternating_users.concrete.kms_key.no_vpc`).
    pub fn label(&self) -> String {
        let segments: Vec<&str> = self
            .picks
            .iter()
            .filter(|(dimension, index)| dimension.required || *index > 0)
            .map(|(dimension, index)| dimension.choices[*index].label)
            .collect();
        segments.join(".")
    }

    /// `(dimension name, choice label)` for every dimension, defaults included.
    pub fn choices(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        self.picks.iter().map(|(d, i)| (d.name, d.choices[*i].label))
    }

    fn picked(&self) -> impl Iterator<Item = &'static Choice> + '_ {
        self.picks.iter().map(|(d, i)| &d.choices[*i])
    }

    /// The label of the choice in the dimension named `dimension`.
    pub fn choice(&self, dimension: &str) -> Option<&'static str> {
        self.choices().find(|(d, _)| *d == dimension).map(|(_, c)| c)
    }

    /// The runtime builder with every choice's setters.
    pub fn builder(&self, values: &Values) -> RotationSpecBuilder {
        self.picked().fold(RotationSpecBuilder::new(), |b, choice| {
            (choice.builder)(b, values)
        })
    }

    /// `self.builder(values).build()`.
    pub fn spec(&self, values: &Values) -> Result<RotationSpec, SpecError> {
        self.builder(values).build()
    }

    /// The spec flags of `rotation-policy generate` and `check` (no
    /// subcommand, no `--only` or `--format`).
    pub fn cli_args(&self, values: &Values) -> Vec<String> {
        self.picked().flat_map(|choice| (choice.cli)(values)).collect()
    }

    /// The `key: value` pairs of the `rotation_policy!` invocation.
    pub fn dsl(&self, values: &Values) -> Vec<(&'static str, DslValue)> {
        self.picked().flat_map(|choice| (choice.dsl)(values)).collect()
    }

    /// Whether the builder accepts it with a warning: `engine: db2` with
    /// `single_user` and no superuser secret (AWS's Db2 single-user
    /// function reads the admin secret too). Every door prints a warning
    /// there, so the table tests, which expect none, leave it out; the
    /// warning has its own tests.
    pub fn warned(&self) -> bool {
        self.choice("strategy") == Some("single_user")
            && self.choice("engine") == Some("db2")
            && self.choice("superuser") == Some("no_superuser")
    }

    /// The conflict this combination contains, if any.
    pub fn conflict(&self) -> Option<&'static Conflict> {
        CONFLICTS.iter().find(|c| {
            let has = |label: &str| self.picked().any(|choice| choice.label == label);
            has(c.a) && has(c.b)
        })
    }
}

/// The label: what a failing test or a proptest case prints.
impl fmt::Debug for Combination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// Every combination of one choice per dimension, conflicts included, in
/// a fixed order.
pub fn product() -> Vec<Combination> {
    product_of(DIMENSIONS)
}

/// Every valid combination: [`product`] without the [`CONFLICTS`].
pub fn combinations() -> Vec<Combination> {
    product().into_iter().filter(|c| c.conflict().is_none()).collect()
}

/// The valid combinations of [`ENGINE_DIMENSIONS`] with an engine other
/// than `generic` or without a random password (the others are in
/// [`combinations`] already), minus the one the builder accepts with a
/// warning ([`Combination::warned`]): what the table tests add to cover
/// each AWS function.
pub fn engine_combinations() -> Vec<Combination> {
    product_of(ENGINE_DIMENSIONS)
        .into_iter()
        .filter(|c| c.conflict().is_none() && !c.warned())
        // Those with the defaults of both are in the product already.
        .filter(|c| {
            c.choice("engine") != Some("generic") || c.choice("random_password") != Some("random_password")
        })
        .collect()
}

/// [`combinations`], then [`engine_combinations`]: every combination the
/// table tests and the scripts run.
pub fn all_combinations() -> Vec<Combination> {
    combinations().into_iter().chain(engine_combinations()).collect()
}

/// The product of [`ENGINE_DIMENSIONS`], nothing left out.
pub fn product_of_engines() -> Vec<Combination> {
    product_of(ENGINE_DIMENSIONS)
}

fn product_of(dimensions: &'static [Dimension]) -> Vec<Combination> {
    dimensions
        .iter()
        .fold(vec![Combination { picks: Vec::new() }], |partial, dimension| {
            partial
                .iter()
                .flat_map(|combination| {
                    (0..dimension.choices.len()).map(move |index| {
                        let mut picks = combination.picks.clone();
                        picks.push((dimension, index));
                        Combination { picks }
                    })
                })
                .collect()
        })
}
