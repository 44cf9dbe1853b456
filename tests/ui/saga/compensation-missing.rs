use patternkit::saga::saga;

struct PlaceOrder;

#[saga]
impl PlaceOrder {
    #[step(compensate = refund)]
    async fn charge(&self) -> Result<u64, String> {
        Ok(1)
    }
}

fn main() {}
