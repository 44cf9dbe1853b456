//! How the generated code names the event type: in the patterns that match its variants, and
//! through the alias that keeps a misspelt event type one error.

use proc_macro2::{Group, TokenStream};
use quote::quote;
use syn::{Ident, Path, PathArguments, Type};

use super::model::Machine;
use crate::ident_name::same_name;

impl Machine<'_> {
    /// The pattern that matches event `variant` (with the row's pattern on its fields, if
    /// any). The event type's generic arguments are left out, as the scrutinee's type fixes
    /// them (`Ev<'a, u8>` is matched as `Ev::Start { .. }`); a row naming the event type
    /// itself matches a struct event (`event = Tick`, `Idle + Tick => Busy`).
    pub(super) fn event_pattern(
        &self,
        variant: Option<&Ident>,
        fields: Option<&Group>,
    ) -> TokenStream {
        let Some(variant) = variant else {
            return quote!(_);
        };
        let fields = fields.map_or_else(|| quote!({ .. }), |group| quote!(#group));
        let path = event_path(self.event);
        let names_itself = path
            .as_ref()
            .and_then(|path| path.segments.last())
            .is_some_and(|last| same_name(&last.ident, variant));
        let ty = match (&path, self.event_alias()) {
            (_, Some(_)) => quote!(__PatternkitEvent),
            (Some(path), None) => quote!(#path),
            (None, None) => {
                let ty = self.event;
                quote!(#ty)
            }
        };
        if names_itself {
            quote!(#ty #fields)
        } else {
            quote!(#ty::#variant #fields)
        }
    }

    /// `type __PatternkitEvent = Event;`, through which the patterns name the event's
    /// variants, when the event type is a path without generic arguments that names none of
    /// the machine's parameters. A misspelt event type is then one error (it cannot be found,
    /// reported once for every place it is named) where naming it in patterns too would add
    /// a second, of another kind.
    pub(super) fn event_alias(&self) -> Option<TokenStream> {
        let Type::Path(path) = self.event else {
            return None;
        };
        let first = path.path.segments.first()?;
        let plain = path.qself.is_none()
            && first.ident != "Self"
            && !self
                .generics
                .type_params()
                .any(|param| same_name(&param.ident, &first.ident))
            && path
                .path
                .segments
                .iter()
                .all(|segment| segment.arguments.is_none());
        let ty = self.event;
        plain.then(|| {
            quote! {
                #[allow(dead_code)]
                type __PatternkitEvent = #ty;
            }
        })
    }
}

/// The event type as a path without generic arguments, when it is a path.
fn event_path(ty: &Type) -> Option<Path> {
    match ty {
        Type::Path(ty) if ty.qself.is_none() => {
            let mut path = crate::owned::copy(&ty.path)?;
            for segment in &mut path.segments {
                segment.arguments = PathArguments::None;
            }
            Some(path)
        }
        Type::Group(group) => event_path(&group.elem),
        Type::Paren(paren) => event_path(&paren.elem),
        _ => None,
    }
}
