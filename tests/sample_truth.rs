//! Filled once the sample generator lands.
