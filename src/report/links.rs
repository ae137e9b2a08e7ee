//! Where each page of a run folder lives (layer 1: names only, no markup): the scorecards and the
//! dossiers are written under these names and linked to by them, so a link and its target cannot
//! drift apart.

use crate::report::text::Lang;

/// The folder of the scorecards in a run folder.
pub(crate) const SCORECARDS_DIR: &str = "scorecards";

/// The folder of the dossiers in a run folder.
pub(crate) const DOSSIERS_DIR: &str = "dossiers";

/// The file name of an institution's scorecard: the id with anything but letters, digits, `-`,
/// `_` and `.` replaced, so any id makes a safe file name.
pub(crate) fn scorecard_file(id: &str, lang: Lang) -> String {
    let safe: String = id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '_' }).collect();
    let safe = if safe.is_empty() || safe.starts_with('.') { format!("_{safe}") } else { safe };
    format!("{safe}{}.html", lang.file_suffix())
}

/// The dossier's file name: the institution id made safe for a file name.
pub(crate) fn dossier_file(institution: &str, lang: Lang) -> String {
    let safe: String = institution.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    format!("{safe}{}.html", lang.file_suffix())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_carry_the_language() {
        assert_eq!(dossier_file("JN-ORG-000210", Lang::Zh), "JN-ORG-000210.html");
        assert_eq!(dossier_file("a/b c", Lang::En), "a_b_c.en.html");
        assert_eq!(scorecard_file("a/b c", Lang::En), "a_b_c.en.html");
        assert_eq!(scorecard_file(".x", Lang::Zh), "_.x.html");
    }
}
