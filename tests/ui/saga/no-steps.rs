use patternkit::saga::saga;

struct PlaceOrder;

#[saga]
impl PlaceOrder {
    async fn charge(&self) -> Result<(), String> {
        Ok(())
    }
}

fn main() {}
