//! Valid and nearly valid declarations for the CQRS macros, which `never_panics` mutates.

pub(crate) const BUS_ITEMS: &[&str] = &[
    "#[bus(publishes(Tick), crate = pk)] struct AppBus { #[handles(A, B)] users: Users, \
        #[handles(Q)] #[subscribes(E, F)] reads: Reads, #[subscribes(E)] audit: Audit, \
        #[middleware] pipeline: Pipeline }",
    "struct Bus<T> where T: Clone { #[handles(A)] a: T, #[handles(A)] b: T }",
    "enum NotABus { A }",
    "struct AppBus<B: Backend, 'a> where B: Clone { #[handles(Save)] #[subscribes(Saved)] \
        saver: Saver<B>, #[middleware] pipeline: Pipeline }",
    "#[bus(local)] struct Shop { #[behavior] retry: Retry, #[behavior(Price, Other)] \
        #[behavior] cache: Cache, #[handles(Price)] catalog: Catalog }",
    "#[bus(local = yes, local)] struct Shop { #[behavior()] a: A, #[behavior(1)] b: B }",
];

pub(crate) const MESSAGE_ITEMS: &[&str] = &[
    "#[command(output = u64, error = E, validate, crate = pk)] struct CreateUser { name: String }",
    "#[query(output = Vec<String>)] struct ListUsers<T>(T);",
    "#[event(validate)] enum Happened { A, B }",
];

pub(crate) const HANDLER_ITEMS: &[&str] = &[
    "impl Service { #[command] fn a(&self, c: A) -> Result<u64, E> { Ok(1) } \
        #[query] async fn b(&self, q: B) -> Result<u64, E> { Ok(2) } \
        #[event] fn c(&self, e: &C) {} fn plain(&self) {} }",
    "impl<T: Clone> Service<T> { #[command] #[event] fn a(self, c: &A) {} #[query(x)] fn b() {} }",
    "impl Trait for Service { #[command] fn a(&self, c: A) {} }",
    "impl Service { #[event] async fn a(&self, e: &A) -> Result<(), E> { Ok(()) } \
        #[command] fn b(&self, c: B) -> u8 { 1 } }",
];
