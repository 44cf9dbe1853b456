//! The cases of the performance report, timed by criterion with its statistics and its
//! comparison against the previous run:
//! `cargo bench --manifest-path benches/Cargo.toml --bench time [-- FILTER]`.
//!
//! `cargo benchmarks` is the one that writes `BENCHMARKS.md`; this one is for looking closer at a
//! single case, e.g. `cargo bench --manifest-path benches/Cargo.toml --bench time --
//! factory_lookup_size_500`.

use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};

#[allow(dead_code)]
#[path = "report/harness.rs"]
mod harness;

#[path = "report/cases.rs"]
mod cases;
#[path = "report/cqrs.rs"]
mod cqrs;
#[path = "report/di.rs"]
mod di;
#[path = "report/factory.rs"]
mod factory;
#[path = "report/singleton.rs"]
mod singleton;
#[path = "report/state_machine.rs"]
mod state_machine;

fn time_cases(c: &mut Criterion) {
    let groups = cases::groups();
    let matrices = cases::matrices();
    let cases = groups.iter().flat_map(|g| &g.cases).chain(
        matrices
            .iter()
            .flat_map(|m| m.rows.iter().flat_map(|(_, cases)| cases)),
    );
    for case in cases {
        c.bench_function(case.id, |b| {
            b.iter_custom(|iterations| {
                let start = Instant::now();
                harness::pk_measured(case.run, iterations);
                start.elapsed()
            });
        });
    }
}

criterion_group!(benches, time_cases);
criterion_main!(benches);
