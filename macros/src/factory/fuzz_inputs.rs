//! Valid and nearly valid declarations for `#[derive(Factory)]`, which `never_panics` mutates.

pub(crate) const ITEMS: &[&str] = &[
    "enum Channel { Email, Sms(String), Push { id: u32, topic: String } }",
    "#[factory(rename_all = \"kebab-case\", kind = ChannelType, kind_derive(Hash))] \
     enum Channel { #[factory(alias = \"mail\", alias = \"e\")] Email, \
     #[factory(with = make, name = \"text\")] Sms(String), #[factory(skip)] Raw(u8), \
     #[factory(other)] Other(String) }",
    "#[factory(product = dyn Notifier + Send, crate = pk)] \
     enum Channel<T: Notifier> { A(T), B { inner: Box<T> }, #[factory(with = b)] C(u8) }",
    "enum Empty {}",
    "struct NotAnEnum { a: u8 }",
    "enum Dup { #[factory(name = \"x\")] A, #[factory(name = \"X\")] B, C, #[factory(alias = \"c\")] D }",
];
