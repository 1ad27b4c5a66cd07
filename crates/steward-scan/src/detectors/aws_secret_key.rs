//! `AWS_SECRET_KEY`: AWS secret access keys in configuration.
//!
//! **What it detects.** A forty-character base64 value assigned to a key
//! named `aws_secret_access_key` (or `AWS_SECRET_KEY`).
//!
//! **Why it matters.** With the key id it signs any API call the IAM
//! principal may make.
//!
//! **Validation.** Length, alphabet and entropy; AWS's documented example
//! secret is dropped.
//!
//! **Example.** `AWS_SECRET_ACCESS_KEY=csmv+RPWaF+MBxVfBpDI7dG8WAzklJY083qProOs`.
//!
//! **False positives.** Practically none with the key name required.
//!
//! **References.** AWS CLI configuration documentation.

use steward_model::category::keys;
use steward_model::masked::MaskStyle;

use super::common::entropy;
use crate::detector::{Detector, Verdict};

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new("AWS_SECRET_KEY", "AWS secret access key", keys::CLOUD_ACCESS_KEY, validate)
        .pattern(r#"(?i:aws[_-]?secret[_-]?(?:access[_-]?)?key)["']?\s{0,3}[:=]\s{0,3}["']?(?P<v>[A-Za-z0-9/+=]{40})(?-u:\b)"#)
        .context(&["aws", "secret"])
        .columns(&["awssecret", "secretaccesskey", "secretkey"])
        .mask(MaskStyle::Full)
        .describe("AWS secret access keys assigned to an aws_secret_access_key setting.")
}

fn validate(s: &str) -> Option<Verdict> {
    (s.len() == 40 && entropy(s) >= 3.5 && !s.contains("EXAMPLEKEY")).then_some(Verdict::new(0.95))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_and_example() {
        assert!(validate("csmv+RPWaF+MBxVfBpDI7dG8WAzklJY083qProOs").is_some());
        assert_eq!(validate("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), None);
    }
}
