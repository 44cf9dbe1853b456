//! Every measured case, for the report and for criterion alike.

use crate::harness::{Group, Matrix};
use crate::{cqrs, di, factory, singleton, state_machine};

/// The groups of cases with one operation each, in report order.
pub fn groups() -> Vec<Group> {
    let mut groups = vec![singleton::group()];
    groups.extend(state_machine::groups());
    groups.extend(cqrs::groups());
    groups.extend(di::groups());
    groups.extend(factory::groups());
    let _ = di::level();
    groups
}

/// The cases laid out by input.
pub fn matrices() -> Vec<Matrix> {
    factory::matrices()
}
