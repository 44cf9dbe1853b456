//! Interface segregation: no client should depend on methods it does not use. Printing and
//! scanning are separate traits; the all-in-one device implements both, and a client that
//! only prints asks only for `Printer` — so a plain printer serves it just as well.
//!
//! Run it with `cargo run --example solid_isp`.

trait Printer {
    fn print(&self, document: &str) -> String;
}

trait Scanner {
    fn scan(&self) -> String;
}

struct AllInOnePrinter;

impl Printer for AllInOnePrinter {
    fn print(&self, document: &str) -> String {
        format!("all-in-one printed {document:?}")
    }
}

impl Scanner for AllInOnePrinter {
    fn scan(&self) -> String {
        "all-in-one scanned a page".to_owned()
    }
}

struct BasicPrinter;

impl Printer for BasicPrinter {
    fn print(&self, document: &str) -> String {
        format!("basic printer printed {document:?}")
    }
}

/// Needs printing only, so it depends on `Printer` only.
fn print_invoice(printer: &dyn Printer) -> String {
    printer.print("invoice #42")
}

/// Needs both, and says so.
fn copy(device: &(impl Printer + Scanner)) -> String {
    let page = device.scan();
    device.print(&page)
}

fn main() {
    println!("Interface segregation: clients name only the capability they use.");
    println!(
        "  print_invoice(AllInOnePrinter) -> {}",
        print_invoice(&AllInOnePrinter)
    );
    println!(
        "  print_invoice(BasicPrinter)    -> {}",
        print_invoice(&BasicPrinter)
    );
    println!(
        "  copy(AllInOnePrinter)          -> {}",
        copy(&AllInOnePrinter)
    );
    println!("  `copy(&BasicPrinter)` does not compile: a basic printer cannot scan.");
}
