use patternkit::saga::saga;

struct PlaceOrder;

#[saga]
impl PlaceOrder {
    #[step(pivot, compensate = refund)]
    async fn charge(&self) -> Result<(), String> {
        Ok(())
    }

    #[step(retriable, compensate = recall)]
    async fn ship(&self) -> Result<(), String> {
        Ok(())
    }

    async fn refund(&self) -> Result<(), String> {
        Ok(())
    }

    async fn recall(&self) -> Result<(), String> {
        Ok(())
    }
}

fn main() {}
