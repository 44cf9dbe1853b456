//! The validated model as tokens: the kind enum and its impls (`kind.rs`), the factory's own
//! functions (`create.rs`) and `Display` on the enum (`display.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::validate::FactoryModel;
use super::{create, display, kind};

pub(super) fn expand_factory(model: &FactoryModel<'_>) -> TokenStream {
    let kind_enum = (!model.kind_is_self).then(|| kind::expand_kind_enum(model));
    let kind_impls = kind::expand_kind_impls(model);
    let factory_impls = (!model.kind_is_self).then(|| create::expand_factory_impls(model));
    let display = (model.display && !model.kind_is_self).then(|| display::expand_display(model));
    quote! {
        #kind_enum
        const _: () = {
            #kind_impls
            #factory_impls
            #display
        };
    }
}

pub(super) fn private(model: &FactoryModel<'_>) -> TokenStream {
    model.krate.private(model.ident.span())
}
