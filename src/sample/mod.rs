//! Placeholder being written by a helper.
