//! One vocabulary, below every stage: the ids a bureau reads in its TOML, its tables and its
//! report (`R06`, tier `A`, `employment_rate`, `synchronized_sign_ins`, severity `high`), as
//! types, and the message catalogue that turns a code and its arguments into Chinese or English.
//!
//! It sits below policy, features, rules, signals, rating and report, so each of them names a
//! rule or a tier by type instead of by a string kept in a dozen places, and no stage writes a
//! human sentence itself: it keeps a code and its arguments, and the one catalogue renders them
//! in the run's language (`messages`).

mod indicator;
mod lang;
pub mod messages;
mod rule;
mod severity;
mod signal;
mod tier;

pub use indicator::IndicatorId;
pub use lang::Lang;
pub use messages::Message;
pub use rule::RuleId;
pub use severity::Severity;
pub use signal::SignalId;
pub use tier::{Action, Tier};

/// The error of parsing an id: what was read and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownId {
    /// What the id names (`rule`, `tier`, `indicator`, `signal`, `severity`, `action`, `language`).
    pub what: &'static str,
    pub found: String,
    /// The known ids, comma-separated.
    pub expected: String,
}

impl std::fmt::Display for UnknownId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown {} '{}' (expected one of {})", self.what, self.found, self.expected)
    }
}

impl std::error::Error for UnknownId {}

/// Declares a closed set of ids: the enum, `ALL` in their canonical order, `as_str`, `Display`,
/// `FromStr` and serde (as the text a bureau writes).
macro_rules! id_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal, { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every id, in canonical order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The id as written in TOML, tables and the report.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The id written as `text` (exact, case-sensitive), if it is one.
            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::vocab::UnknownId;
            fn from_str(text: &str) -> Result<$name, Self::Err> {
                $name::parse(text).ok_or_else(|| $crate::vocab::UnknownId {
                    what: $what,
                    found: text.to_string(),
                    expected: $name::ALL.iter().map(|id| id.as_str()).collect::<Vec<_>>().join(", "),
                })
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use id_enum;
