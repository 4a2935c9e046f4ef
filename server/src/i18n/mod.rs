//! Languages. Bilingual text is compiled, not looked up: every user-visible string is
//! built in both languages at once (a [`Text`]), or chosen by a `match` on [`Lang`], so a
//! missing translation is a compile error.

use std::fmt;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// `en`, `zh`, `zh-CN`, `zh_TW.UTF-8`, `C.UTF-8`… → the language to use.
    pub fn from_locale(locale: &str) -> Lang {
        let l = locale.trim().to_ascii_lowercase();
        if l.starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// Parses a user's choice (`en`, `zh`); `None` for anything else.
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" | "english" => Some(Lang::En),
            "zh" | "zh-cn" | "zh-hans" | "chinese" | "中文" => Some(Lang::Zh),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

/// A text in both languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Text {
        Text {
            en: en.into(),
            zh: zh.into(),
        }
    }
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// Builds a [`Text`] from two format strings with the same arguments.
#[macro_export]
macro_rules! text {
    ($en:literal, $zh:literal $(, $arg:expr)* $(,)?) => {
        $crate::i18n::Text {
            en: format!($en $(, $arg)*),
            zh: format!($zh $(, $arg)*),
        }
    };
}

/// Fixed strings of the command-line and editor surface.
pub mod ui {
    use super::Lang;

    pub fn severity(lang: Lang, s: crate::rules::Severity) -> &'static str {
        use crate::rules::Severity::*;
        match (lang, s) {
            (Lang::En, Error) => "error",
            (Lang::En, Warning) => "warning",
            (Lang::En, Info) => "info",
            (Lang::En, Hint) => "hint",
            (Lang::Zh, Error) => "错误",
            (Lang::Zh, Warning) => "警告",
            // As VS Code's Chinese interface names them.
            (Lang::Zh, Info) => "信息",
            (Lang::Zh, Hint) => "提示",
        }
    }

    pub fn fix_available(lang: Lang) -> &'static str {
        match lang {
            Lang::En => "fix available",
            Lang::Zh => "可自动修复",
        }
    }

    pub fn summary(
        lang: Lang,
        files: usize,
        errors: usize,
        warnings: usize,
        others: usize,
    ) -> String {
        match lang {
            Lang::En => format!(
                "{files} file(s) checked: {errors} error(s), {warnings} warning(s), {others} other finding(s)"
            ),
            Lang::Zh => format!(
                "已检查 {files} 个文件：{errors} 个错误，{warnings} 个警告，{others} 条其他问题"
            ),
        }
    }
}
