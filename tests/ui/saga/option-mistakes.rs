//! The same three mistakes as in every macro's `option-mistakes` case.
use patternkit::saga::saga;

struct PlaceOrder;

#[saga(inpt = u32, crate = ::patternkit, crate = ::patternkit)]
impl PlaceOrder {
    #[step(pivot = true)]
    async fn charge(&self) -> Result<(), String> {
        Ok(())
    }
}

fn main() {}
