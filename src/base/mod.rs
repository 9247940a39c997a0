//! The base layer, used by every stage: the workspace's files and places in them
//! ([`source`]), exact numbers ([`number`]), diagnostics ([`diagnostic`]), cancellation
//! ([`cancel`]) and the few file-system rules every stage shares ([`files`]).

pub(crate) mod cancel;
pub(crate) mod diagnostic;
pub(crate) mod files;
pub(crate) mod number;
pub(crate) mod source;
