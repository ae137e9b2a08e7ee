//! Risk signals (being written).
