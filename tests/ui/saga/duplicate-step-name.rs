use patternkit::saga::saga;

struct PlaceOrder;

#[saga]
impl PlaceOrder {
    #[step(name = "charge")]
    async fn charge_card(&self) -> Result<(), String> {
        Ok(())
    }

    #[step(name = "charge")]
    async fn charge_wallet(&self) -> Result<(), String> {
        Ok(())
    }
}

fn main() {}
