//! One service named by two paths (`Payments` and `crate::orders::Payments`) is still one
//! service: the cycle through it is found.
use std::sync::Arc;

use patternkit::di::{Container, Inject, Once};

mod orders {
    use std::sync::Arc;

    use patternkit::di::Inject;

    #[derive(Inject)]
    pub struct Payments {
        pub shipping: Arc<crate::Shipping>,
    }
}

use orders::Payments;

#[derive(Inject)]
pub struct Shipping {
    payments: Arc<crate::orders::Payments>,
}

#[derive(Container, Default)]
struct AppContainer {
    #[provide(Payments, singleton)]
    payments: Once<Payments>,
    #[provide(Shipping, singleton)]
    shipping: Once<Shipping>,
}

fn main() {}
