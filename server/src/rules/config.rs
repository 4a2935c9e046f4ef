//! `dockwise.toml` / `.dockwise.toml`: the project's configuration, parsed from text
//! (the CLI and the editor find and read the file).
//!
//! ```toml
//! ignore = ["DF510", "JSONArgsRecommended"]   # codes or peer names
//! language = "zh"                             # auto | en | zh
//! target = "runtime"                          # the stage that is built
//! [severity]
//! GO110 = "warning"                           # error | warning | info | hint
//! ```

use std::collections::BTreeMap;

use super::{rule_for_name, Config, Severity};
use crate::i18n::Lang;

/// The names the configuration file may have, in the order they are looked for.
pub const FILE_NAMES: &[&str] = &["dockwise.toml", ".dockwise.toml"];

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileConfig {
    pub config: Config,
    /// `None` for `auto` or when not set.
    pub language: Option<Lang>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
    language: Option<String>,
    target: Option<String>,
}

/// Parses a configuration file. Errors name the problem in English and Chinese.
pub fn parse(text: &str) -> Result<FileConfig, crate::i18n::Text> {
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let msg = e.message().to_string();
        crate::text!("invalid configuration: {}", "配置文件无效：{}", msg)
    })?;
    for name in &raw.ignore {
        if rule_for_name(name).is_none() {
            return Err(crate::text!(
                "`ignore`: unknown rule `{}`",
                "`ignore`：未知的规则 `{}`",
                name
            ));
        }
    }
    let mut severity = BTreeMap::new();
    for (code, level) in &raw.severity {
        let Some(rule) = rule_for_name(code) else {
            return Err(crate::text!(
                "`severity`: unknown rule `{}`",
                "`severity`：未知的规则 `{}`",
                code
            ));
        };
        let Some(s) = Severity::parse(level) else {
            return Err(crate::text!(
                "`severity.{}`: `{}` is not error, warning, info or hint",
                "`severity.{}`：`{}` 不是 error、warning、info 或 hint",
                code,
                level
            ));
        };
        severity.insert(rule.code.to_string(), s);
    }
    let language = match raw.language.as_deref() {
        None | Some("auto") => None,
        Some(l) => Some(Lang::parse(l).ok_or_else(|| {
            crate::text!(
                "`language`: `{}` is not auto, en or zh",
                "`language`：`{}` 不是 auto、en 或 zh",
                l
            )
        })?),
    };
    Ok(FileConfig {
        config: Config {
            ignore: raw.ignore,
            severity,
            target: raw.target,
        },
        language,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let c = parse("ignore = [\"DF510\", \"DL3006\"]\nlanguage = \"zh\"\ntarget = \"runtime\"\n[severity]\nGO110 = \"warning\"\nJSONArgsRecommended = \"error\"\n").unwrap();
        assert_eq!(c.language, Some(Lang::Zh));
        assert_eq!(c.config.severity.get("GO110"), Some(&Severity::Warning));
        assert_eq!(c.config.severity.get("DF507"), Some(&Severity::Error));
        assert_eq!(c.config.target.as_deref(), Some("runtime"));
        assert!(parse("ignore = [\"NOPE1\"]").is_err());
        assert!(parse("colour = true").is_err());
        assert!(parse("[severity]\nGO110 = \"loud\"").is_err());
        assert!(parse("language = \"fr\"").is_err());
        assert!(parse("ignore = ").is_err());
        assert_eq!(parse("").unwrap(), FileConfig::default());
    }
}
