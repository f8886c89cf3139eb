//! Conformance, differential and cross-target test support for zkos.
