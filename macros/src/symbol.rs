//! The keywords of patternkit's attributes, named once.

pub(crate) const CRATE: &str = "crate";

pub(crate) const INIT: &str = "init";
pub(crate) const TRY_INIT: &str = "try_init";
pub(crate) const ERROR: &str = "error";
pub(crate) const MANUAL: &str = "manual";

pub(crate) const KIND: &str = "kind";
pub(crate) const KIND_DERIVE: &str = "kind_derive";
pub(crate) const RENAME_ALL: &str = "rename_all";
pub(crate) const PRODUCT: &str = "product";
pub(crate) const NAME: &str = "name";
pub(crate) const ALIAS: &str = "alias";
pub(crate) const SKIP: &str = "skip";
pub(crate) const WITH: &str = "with";
pub(crate) const OTHER: &str = "other";
