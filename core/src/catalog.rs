//! The action, resource-type and condition-key catalog (the crate
//! `rotation-policy-catalog`, compiled-in tables generated from the Service
//! Authorization Reference), with the policy language's wildcards for
//! action patterns.

pub use rotation_policy_catalog::{
    AccessLevel, Action, Catalog, ConditionKey, KeyType, ResourceType, Service, DATE, SOURCE,
};

use crate::policy::wildcard::matches_ignore_case;

/// Action patterns (`secretsmanager:Get*`) over the catalog, with IAM's
/// wildcards, case-insensitive ([`crate::policy::wildcard`]).
pub trait ActionPatterns {
    /// The (service, action) pairs `pattern` names.
    fn actions_matching<'a>(&'a self, pattern: &'a str) -> Vec<(&'a Service, &'a Action)>;
}

impl ActionPatterns for Catalog {
    fn actions_matching<'a>(&'a self, pattern: &'a str) -> Vec<(&'a Service, &'a Action)> {
        self.actions_matching_with(pattern, matches_ignore_case)
    }
}

/// Action-name patterns (`Get*`) within one service.
pub trait ServiceActionPatterns {
    /// The actions whose name `pattern` matches.
    fn actions_matching<'a>(&'a self, pattern: &'a str) -> impl Iterator<Item = &'a Action> + 'a;
}

impl ServiceActionPatterns for Service {
    fn actions_matching<'a>(&'a self, pattern: &'a str) -> impl Iterator<Item = &'a Action> + 'a {
        self.actions_where(move |name| matches_ignore_case(pattern, name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_expand_actions() {
        let catalog = Catalog::get();
        let names: Vec<&str> = catalog
            .actions_matching("secretsmanager:*SecretVersion?tage")
            .iter()
            .map(|(_, a)| a.name)
            .collect();
        assert_eq!(names, ["UpdateSecretVersionStage"]);
        assert!(catalog.actions_matching("ec2:Describe*").len() > 100);
        assert!(catalog.actions_matching("*").len() > 10_000);
    }

    #[test]
    fn action_patterns_are_case_insensitive() {
        let catalog = Catalog::get();
        for spelled in [
            "secretsmanager:GetSecretValue",
            "SecretsManager:getsecretvalue",
            "SECRETSMANAGER:GETSECRETVALUE",
        ] {
            let found = catalog.actions_matching(spelled);
            assert_eq!(found.len(), 1, "{spelled}");
            assert_eq!(
                (found[0].0.prefix, found[0].1.name),
                ("secretsmanager", "GetSecretValue")
            );
        }
        assert_eq!(catalog.actions_matching("S3:listallmybuckets").len(), 1);
        let names: Vec<&str> = catalog
            .actions_matching("Secretsmanager:*SECRETvalue")
            .iter()
            .map(|(_, a)| a.name)
            .collect();
        assert_eq!(names, ["BatchGetSecretValue", "GetSecretValue", "PutSecretValue"]);
        let sm = catalog.service("secretsmanager").expect("secretsmanager");
        assert_eq!(sm.actions_matching("get*").count(), 3);
    }
}
