//! The keywords of patternkit's attributes, named once.

pub(crate) const CRATE: &str = "crate";

pub(crate) const INIT: &str = "init";
pub(crate) const TRY_INIT: &str = "try_init";
pub(crate) const ERROR: &str = "error";
pub(crate) const MANUAL: &str = "manual";
