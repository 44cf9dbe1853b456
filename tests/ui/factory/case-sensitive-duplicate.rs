//! With `case_sensitive`, names that differ only in case are distinct; equal ones are not.
use patternkit::Factory;

#[derive(Factory)]
#[factory(case_sensitive, rename_all = "verbatim")]
enum Server {
    HTTPServer,
    HttpServer,
    #[factory(name = "HttpServer")]
    Again,
}

fn main() {}
