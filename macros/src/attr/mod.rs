//! Reading the options of patternkit's attributes, one way for every macro: a repeated
//! option is an error with a note at its first use, an unknown one lists what is accepted
//! and suggests the closest, a flag refuses a value, and reading goes on after a mistake so
//! that one build reports them all.

mod slot;
mod suggest;

pub(crate) use slot::{Attr, BoolAttr, Given};

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Attribute, Ident, Token};

use crate::errors::Errors;

/// An option an attribute accepts: its key, and how it is written in messages.
pub(crate) struct Key {
    pub(crate) name: &'static str,
    pub(crate) form: &'static str,
}

/// `name`, written as `form` in the "expected one of" list.
pub(crate) const fn key(name: &'static str, form: &'static str) -> Key {
    Key { name, form }
}

/// The option list of one attribute in one place: `#[factory(..)]` on a variant, say.
pub(crate) struct Reader<'k> {
    /// The attribute's name, without `#[..]`.
    pub(crate) attr: &'static str,
    /// Where it stands, for messages (`"a variant"`), when the attribute goes in several.
    pub(crate) place: Option<&'static str>,
    /// What it accepts there.
    pub(crate) keys: &'k [Key],
    /// Added to the unknown-option message, when a likely mistake has a reason worth giving.
    pub(crate) hint: Option<&'static str>,
}

/// One option being read, its key known to the reader.
pub(crate) struct Opt<'m, 'a> {
    pub(crate) key: Ident,
    /// What follows the key.
    input: &'m syn::parse::ParseBuffer<'a>,
    attr: &'static str,
}

/// Whether `attr` is the helper attribute `name` of a derive whose helpers are `helpers`, or
/// a misspelling of it: a helper attribute the compiler does not know is its error ("cannot
/// find attribute"), and read as the one meant, it is the only one (a misspelt
/// `#[handle(..)]` would otherwise leave a bus without the route, an error at every use).
pub(crate) fn is_helper(attr: &Attribute, name: &str, helpers: &[&str]) -> bool {
    let Some(written) = attr.path().get_ident() else {
        return false;
    };
    if written == name {
        return true;
    }
    let written = written.to_string();
    !helpers.contains(&written.as_str())
        && suggest::closest(&written, helpers.iter().copied()) == Some(name)
}

/// What reading an attribute's options found about the misspelt ones.
#[derive(Default)]
struct Read {
    /// The keys written as they are spelt.
    given: Vec<String>,
    /// Each misspelt key that is close to an accepted one: that key, and the value written.
    meant: Vec<(Ident, TokenStream)>,
}

impl Reader<'_> {
    /// Reads every `#[attr(..)]` among `attrs`, calling `each` for every known option.
    pub(crate) fn read_attrs(
        &self,
        attrs: &[Attribute],
        errors: &mut Errors,
        mut each: impl FnMut(&Opt<'_, '_>, &mut Errors) -> syn::Result<()>,
    ) {
        let mut read = Read::default();
        // A misspelt helper is the compiler's error; read as meant, it adds none.
        for attr in attrs
            .iter()
            .filter(|a| is_helper(a, self.attr, &[self.attr]))
        {
            let result =
                attr.parse_nested_meta(|meta| self.read_one(&meta, &mut read, errors, &mut each));
            if let Err(error) = result {
                errors.push(error);
            }
        }
        self.read_as_meant(read, &mut each);
    }

    /// Reads the arguments of an attribute macro, `#[attr(..)]` given as tokens.
    pub(crate) fn read_args(
        &self,
        args: TokenStream,
        errors: &mut Errors,
        mut each: impl FnMut(&Opt<'_, '_>, &mut Errors) -> syn::Result<()>,
    ) {
        let mut read = Read::default();
        let parser = syn::meta::parser(|meta| self.read_one(&meta, &mut read, errors, &mut each));
        if let Err(error) = parser.parse2(args) {
            errors.push(error);
        }
        self.read_as_meant(read, &mut each);
    }

    fn read_one(
        &self,
        meta: &ParseNestedMeta<'_>,
        read: &mut Read,
        errors: &mut Errors,
        each: &mut impl FnMut(&Opt<'_, '_>, &mut Errors) -> syn::Result<()>,
    ) -> syn::Result<()> {
        let known = meta
            .path
            .get_ident()
            .filter(|ident| self.keys.iter().any(|k| *ident == k.name));
        if let Some(ident) = known {
            read.given.push(ident.to_string());
            return each(
                &Opt {
                    key: ident.clone(),
                    input: meta.input,
                    attr: self.attr,
                },
                errors,
            );
        }
        // An unknown key is reported and the options after it are still read; a malformed
        // value ends the attribute, as what follows it cannot be trusted.
        errors.push(self.unknown(&meta.path));
        let value = skip_value(meta.input)?;
        if let Some(written) = meta.path.get_ident() {
            let names = self.keys.iter().map(|k| k.name);
            if let Some(meant) = suggest::closest(&written.to_string(), names) {
                read.meant.push((Ident::new(meant, written.span()), value));
            }
        }
        Ok(())
    }

    /// Reads each misspelt key's value as the key it is closest to, unless that key is
    /// written too. The misspelling is the one error: the expansion is then what was meant,
    /// and adds no errors of its own (a misspelt `output = u32` leaving the output `()`).
    /// What reading the value finds wrong is not reported.
    fn read_as_meant(
        &self,
        read: Read,
        each: &mut impl FnMut(&Opt<'_, '_>, &mut Errors) -> syn::Result<()>,
    ) {
        for (key, value) in read.meant {
            if read.given.iter().any(|given| key == given) {
                continue;
            }
            let parser = |input: ParseStream<'_>| {
                let opt = Opt {
                    key,
                    input,
                    attr: self.attr,
                };
                each(&opt, &mut Errors::default())
            };
            // Nothing is reported: the misspelling already is.
            let _ = parser.parse2(value);
        }
    }

    /// The error for a key this attribute does not accept here.
    pub(crate) fn unknown(&self, path: &syn::Path) -> syn::Error {
        let written = path.to_token_stream().to_string().replace(' ', "");
        let place = self.place.map(|p| format!(" on {p}")).unwrap_or_default();
        let expected = self.expected();
        let mut message = format!(
            "unknown `#[{}]` option `{written}`{place}; expected {expected}",
            self.attr
        );
        if let Some(close) = suggest::closest(&written, self.keys.iter().map(|k| k.name)) {
            message.push_str("; did you mean `");
            message.push_str(close);
            message.push_str("`?");
        }
        if let Some(hint) = self.hint {
            message.push_str(" (");
            message.push_str(hint);
            message.push(')');
        }
        syn::Error::new_spanned(path, message)
    }

    fn expected(&self) -> String {
        let forms: Vec<String> = self.keys.iter().map(|k| format!("`{}`", k.form)).collect();
        match forms.as_slice() {
            [] => "no options".to_owned(),
            [one] => one.clone(),
            [rest @ .., last] => format!("one of {} or {last}", rest.join(", ")),
        }
    }
}

impl Opt<'_, '_> {
    /// The value after `key =`, or an error at the key showing how to write it.
    pub(crate) fn value<T: Parse>(&self, example: &str) -> syn::Result<T> {
        if !self.input.peek(Token![=]) {
            return Err(syn::Error::new_spanned(
                &self.key,
                format!("`{0}` needs a value: write `{0} = {example}`", self.key),
            ));
        }
        self.input.parse::<Token![=]>()?;
        self.input.parse()
    }

    /// A flag: an error when something follows the key.
    pub(crate) fn flag(&self) -> syn::Result<()> {
        if self.input.is_empty() || self.input.peek(Token![,]) {
            Ok(())
        } else {
            Err(syn::Error::new_spanned(
                &self.key,
                format!(
                    "`{0}` takes no value: write `#[{1}({0})]`",
                    self.key, self.attr
                ),
            ))
        }
    }

    /// The items of `key(a, b, ..)`.
    pub(crate) fn list<T: Parse>(&self, example: &str) -> syn::Result<Vec<T>> {
        if !self.input.peek(syn::token::Paren) {
            return Err(syn::Error::new_spanned(
                &self.key,
                format!("`{0}` takes a list: write `{0}({example})`", self.key),
            ));
        }
        let content;
        syn::parenthesized!(content in self.input);
        Ok(Punctuated::<T, Token![,]>::parse_terminated(&content)?
            .into_iter()
            .collect())
    }

    /// The rest of the option, for one whose syntax is its own (a transition table).
    pub(crate) fn input(&self) -> ParseStream<'_> {
        self.input
    }
}

/// Steps over what follows a key up to the next option, and returns it.
pub(crate) fn skip_value(input: ParseStream<'_>) -> syn::Result<TokenStream> {
    let mut value = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        value.extend([input.parse::<proc_macro2::TokenTree>()?]);
    }
    Ok(value)
}
