use patternkit::saga::saga;

struct PlaceOrder;

#[saga]
impl PlaceOrder {
    #[step]
    async fn create_order(&self) -> Result<u32, String> {
        Ok(7)
    }

    #[step]
    async fn charge(&self, create_order: &String) -> Result<(), String> {
        let _ = create_order;
        Ok(())
    }
}

fn main() {}
