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
    "#[factory(kind = Self, case_sensitive, rename_all = \"verbatim\", error = E)] \
     enum Level { Debug, #[factory(format = \"W {{0}}\", alias = \"warn\")] Warn, Custom(u8) }",
    "#[factory(display, rename_all = \"Title Case\")] \
     enum Shape { #[factory(format = \"r={radius:.1}\")] Circle { radius: f64 }, \
     #[factory(format = \"{0}x{1} {{}} {2\")] Rect(u32, u32), #[factory(skip)] None }",
    "#[factory(kind_only, args = Settings)] \
     enum Endpoint { Tcp(#[factory(with = port)] std::net::TcpListener), Idle }",
    "#[factory(args = Settings, rename_all = \"Train-Case\", case_sensitive)] \
     enum User { #[factory(with = Admin::new)] Admin(Admin), Guest { #[factory(with = q)] quota: u64 } }",
];
