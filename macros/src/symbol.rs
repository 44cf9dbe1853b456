//! The keywords of patternkit's attributes, named once.

pub(crate) const CRATE: &str = "crate";

pub(crate) const INIT: &str = "init";
pub(crate) const TRY_INIT: &str = "try_init";
pub(crate) const ERROR: &str = "error";
pub(crate) const MANUAL: &str = "manual";

/// The facade's path when no `crate = path` option is given.
pub(crate) fn default_crate_path() -> syn::Path {
    syn::parse_quote!(::patternkit)
}
