//! How the generated code names the event type: in the patterns that match its variants, and
//! through the alias that keeps a misspelt event type one error.

use proc_macro2::{Group, TokenStream};
use quote::quote;
use syn::{Generics, Ident, Path, PathArguments, Type};

use super::model::Machine;
use crate::ident_name::{name_of, same_name};

/// How the patterns name the event type, worked out once per machine: every row, every
/// state's arm and every event index repeats it.
pub(super) struct EventNaming {
    /// What precedes `::Variant` in a pattern.
    ty: TokenStream,
    /// The name of the path's last segment, to tell a row naming the event type itself.
    last: Option<String>,
}

impl EventNaming {
    pub(super) fn new(event: &Type, aliased: bool) -> Self {
        let path = event_path(event);
        let last = path
            .as_ref()
            .and_then(|path| path.segments.last())
            .map(|last| name_of(&last.ident));
        let ty = match (path, aliased) {
            (_, true) => quote!(__PatternkitEvent),
            (Some(path), false) => quote!(#path),
            (None, false) => quote!(#event),
        };
        EventNaming { ty, last }
    }
}

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
        let EventNaming { ty, last } = &self.event_naming;
        if last.as_deref() == Some(name_of(variant).as_str()) {
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
        let ty = self.event;
        aliased(ty, self.generics).then(|| {
            quote! {
                #[allow(dead_code)]
                type __PatternkitEvent = #ty;
            }
        })
    }
}

/// Whether the event type is named through `__PatternkitEvent` (see `event_alias`).
pub(super) fn aliased(event: &Type, generics: &Generics) -> bool {
    let Type::Path(path) = event else {
        return false;
    };
    let Some(first) = path.path.segments.first() else {
        return false;
    };
    path.qself.is_none()
        && first.ident != "Self"
        && !generics
            .type_params()
            .any(|param| same_name(&param.ident, &first.ident))
        && path
            .path
            .segments
            .iter()
            .all(|segment| segment.arguments.is_none())
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
