//! dockwise: a language server and checker for Dockerfiles that knows Go.
//!
//! Architecture invariant: everything except `cli` (and later `lsp`) is pure: no I/O,
//! no async runtime, no panics on any input.

pub mod cli;
pub mod context;
pub mod document;
pub mod i18n;
pub mod ide;
pub mod lsp;
pub mod refactor;
pub mod rules;
pub mod semantic;
pub mod syntax;
