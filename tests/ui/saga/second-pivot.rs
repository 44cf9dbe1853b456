use patternkit::saga::saga;

struct PlaceOrder;

#[saga]
impl PlaceOrder {
    #[step(pivot)]
    async fn charge(&self) -> Result<(), String> {
        Ok(())
    }

    #[step(pivot)]
    async fn ship(&self) -> Result<(), String> {
        Ok(())
    }
}

fn main() {}
