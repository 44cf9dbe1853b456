use patternkit::saga::saga;

struct PlaceOrder;

#[saga(input = u32)]
impl PlaceOrder {
    #[step]
    async fn create_order(&self, input: &u32) -> Result<u32, String> {
        Ok(*input)
    }

    #[step]
    async fn charge(&self, order: u32) -> Result<(), String> {
        let _ = order;
        Ok(())
    }
}

fn main() {}
