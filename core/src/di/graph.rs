//! The whole graph checked at once: what is missing, what needs itself, and which singleton
//! would hold a shorter-lived service.

use core::any::TypeId;

use super::Lifetime;
use super::binding::Binding;
use super::{BuildError, Dependency, DependencyKind};
use crate::type_map::TypeMap;

/// A node of the walk: a bound service, or an owned `Inject` type built inside one.
#[derive(Clone, Copy)]
struct Node {
    id: TypeId,
    name: &'static str,
    dependencies: &'static [Dependency],
}

pub(super) fn check(bindings: &TypeMap<Binding>, errors: &mut Vec<BuildError>) {
    let mut roots: Vec<(TypeId, &Binding)> = bindings.iter().map(|(id, b)| (*id, b)).collect();
    // Deterministic reports, whatever the map's order.
    roots.sort_by_key(|(_, b)| b.name);
    let mut cycles: Vec<Vec<&'static str>> = Vec::new();
    for (id, binding) in &roots {
        let root = Node {
            id: *id,
            name: binding.name,
            dependencies: binding.dependencies,
        };
        walk(bindings, root, &mut vec![root], errors, &mut cycles);
        if binding.lifetime == Lifetime::Singleton {
            captives(
                bindings,
                binding.name,
                binding.dependencies,
                &mut Vec::new(),
                errors,
            );
        }
    }
}

fn node_of(bindings: &TypeMap<Binding>, dependency: &Dependency) -> Option<Node> {
    let id = (dependency.type_id)();
    match dependency.kind {
        DependencyKind::Shared => bindings.get(&id).map(|b| Node {
            id,
            name: b.name,
            dependencies: b.dependencies,
        }),
        DependencyKind::Owned => Some(Node {
            id,
            name: (dependency.name)(),
            dependencies: dependency.dependencies,
        }),
    }
}

fn walk(
    bindings: &TypeMap<Binding>,
    node: Node,
    path: &mut Vec<Node>,
    errors: &mut Vec<BuildError>,
    cycles: &mut Vec<Vec<&'static str>>,
) {
    for dependency in node.dependencies {
        let Some(next) = node_of(bindings, dependency) else {
            let missing = BuildError::Missing {
                service: (dependency.name)(),
                needed_by: node.name,
            };
            if !errors.contains(&missing) {
                errors.push(missing);
            }
            continue;
        };
        if let Some(start) = path.iter().position(|n| n.id == next.id) {
            let mut names: Vec<&'static str> = path[start..].iter().map(|n| n.name).collect();
            names.push(next.name);
            let mut key = names[..names.len() - 1].to_vec();
            key.sort_unstable();
            if !cycles.contains(&key) {
                cycles.push(key);
                errors.push(BuildError::Cycle { path: names });
            }
            continue;
        }
        path.push(next);
        walk(bindings, next, path, errors, cycles);
        path.pop();
    }
}

/// Shared dependencies of `singleton` (through owned ones too) that are bound shorter-lived.
fn captives(
    bindings: &TypeMap<Binding>,
    singleton: &'static str,
    dependencies: &'static [Dependency],
    seen: &mut Vec<TypeId>,
    errors: &mut Vec<BuildError>,
) {
    for dependency in dependencies {
        let id = (dependency.type_id)();
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        match dependency.kind {
            DependencyKind::Shared => {
                if let Some(bound) = bindings.get(&id) {
                    if bound.lifetime != Lifetime::Singleton {
                        errors.push(BuildError::Captive {
                            singleton,
                            dependency: bound.name,
                            lifetime: bound.lifetime,
                        });
                    }
                }
            }
            DependencyKind::Owned => {
                captives(bindings, singleton, dependency.dependencies, seen, errors);
            }
        }
    }
}
