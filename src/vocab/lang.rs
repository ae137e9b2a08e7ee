//! The two languages of every human text: Chinese (the default, what a bureau publishes) and
//! English.

use std::fmt;
use std::str::FromStr;

/// The language of a run's texts and of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Simplified Chinese (default).
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Both languages, Chinese first.
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// The Chinese or the English text.
    pub fn t<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// The HTML `lang` attribute.
    pub fn html(self) -> &'static str {
        self.t("zh-CN", "en")
    }

    pub fn code(self) -> &'static str {
        self.t("zh", "en")
    }

    /// What this language adds to a file's name before its extension: the Chinese report is
    /// `report.html`, the English one `report.en.html` beside it, never over it.
    pub fn file_suffix(self) -> &'static str {
        self.t("", ".en")
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(text: &str) -> Result<Lang, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "cn" | "chinese" => Ok(Lang::Zh),
            "en" | "english" => Ok(Lang::En),
            other => Err(format!("unknown language '{other}' (expected zh or en)")),
        }
    }
}
