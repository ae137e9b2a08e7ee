//! Messages of the rating area (see the catalogue's module documentation).

use super::Message;

/// Every message of this area, for the catalogue's index and its test.
pub const ALL: &[&Message] = &[];
