use patternkit::saga::saga;

struct PlaceOrder;

#[saga]
impl PlaceOrder {
    #[step]
    fn charge(&self) -> Result<(), String> {
        Ok(())
    }
}

fn main() {}
