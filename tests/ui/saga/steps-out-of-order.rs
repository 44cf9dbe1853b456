use patternkit::saga::saga;

struct PlaceOrder;

#[saga]
impl PlaceOrder {
    #[step(retriable)]
    async fn notify(&self) -> Result<(), String> {
        Ok(())
    }

    #[step(compensate = refund)]
    async fn charge(&self) -> Result<(), String> {
        Ok(())
    }

    async fn refund(&self) -> Result<(), String> {
        Ok(())
    }
}

fn main() {}
