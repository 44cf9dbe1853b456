//! Valid and nearly valid declarations for `#[saga]`, which `never_panics` mutates.

pub(crate) const ITEMS: &[&str] = &[
    "impl PlaceOrder { \
        #[step(compensate = cancel)] async fn create(&self, input: &Order) -> Result<u64, E> { Ok(1) } \
        async fn cancel(&self, cx: &StepContext, create: u64) -> Result<(), E> { Ok(()) } \
        #[step(pivot, attempts = 3, timeout_ms = 500)] async fn charge(&self, create: &u64) -> Result<String, E> { todo() } \
        #[step(retriable, name = \"ship\")] async fn ship(&self, charge: String) -> Result<(), E> { Ok(()) } }",
    "impl<T: Send> Generic<T> { #[step] fn not_async(self) -> u8 { 1 } #[step(pivot)] #[step(pivot)] async fn two(&self) {} }",
    "impl Trait for S { #[step(compensate = nowhere, retriable, pivot)] async fn a(&self, x: (u8, u8)) -> Result<(), E> { Ok(()) } }",
    "impl Empty {}",
];

pub(crate) const ARGS: &[&str] = &[
    "",
    "input = Order",
    "input = Order, name = \"PlaceOrder\", crate = ::pk",
    "input, name = 1, unknown = x, crate",
];
