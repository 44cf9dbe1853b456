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

/// The bindings the walk follows: one per service, and the implementations added for a
/// service resolved as `Vec<Arc<_>>`.
pub(super) struct Graph<'a> {
    pub(super) bindings: &'a TypeMap<Binding>,
    pub(super) many: &'a TypeMap<Vec<Binding>>,
}

pub(super) fn check(graph: &Graph<'_>, errors: &mut Vec<BuildError>) {
    let mut roots: Vec<(TypeId, &Binding)> = graph
        .bindings
        .iter()
        .map(|(id, b)| (*id, b))
        .chain(graph.many.values().flatten().map(|b| (b.implementation, b)))
        .collect();
    // Deterministic reports, whatever the map's order.
    roots.sort_by_key(|(_, b)| b.name);
    let mut cycles: Vec<Vec<&'static str>> = Vec::new();
    for (id, binding) in &roots {
        let root = Node {
            id: *id,
            name: binding.name,
            dependencies: binding.dependencies,
        };
        walk(graph, root, &mut vec![root], errors, &mut cycles);
        if binding.lifetime == Lifetime::Singleton {
            captives(
                graph,
                binding.name,
                binding.dependencies,
                &mut Vec::new(),
                errors,
            );
        }
    }
}

/// The nodes `dependency` leads to; `None` when it is missing.
fn nodes_of(graph: &Graph<'_>, dependency: &Dependency) -> Option<Vec<Node>> {
    let id = (dependency.type_id)();
    match dependency.kind {
        DependencyKind::Shared => graph.bindings.get(&id).map(|b| {
            vec![Node {
                id,
                name: b.name,
                dependencies: b.dependencies,
            }]
        }),
        DependencyKind::Owned => Some(vec![Node {
            id,
            name: (dependency.name)(),
            dependencies: dependency.dependencies,
        }]),
        DependencyKind::All => Some(
            graph
                .many
                .get(&id)
                .into_iter()
                .flatten()
                .map(|b| Node {
                    id: b.implementation,
                    name: b.name,
                    dependencies: b.dependencies,
                })
                .collect(),
        ),
        // Checked against the parameters given, not the bindings.
        DependencyKind::Param => Some(Vec::new()),
    }
}

fn walk(
    graph: &Graph<'_>,
    node: Node,
    path: &mut Vec<Node>,
    errors: &mut Vec<BuildError>,
    cycles: &mut Vec<Vec<&'static str>>,
) {
    for dependency in node.dependencies {
        let Some(nexts) = nodes_of(graph, dependency) else {
            let missing = BuildError::Missing {
                service: (dependency.name)(),
                needed_by: node.name,
            };
            if !errors.contains(&missing) {
                errors.push(missing);
            }
            continue;
        };
        for next in nexts {
            step(graph, next, path, errors, cycles);
        }
    }
}

fn step(
    graph: &Graph<'_>,
    next: Node,
    path: &mut Vec<Node>,
    errors: &mut Vec<BuildError>,
    cycles: &mut Vec<Vec<&'static str>>,
) {
    if let Some(start) = path.iter().position(|n| n.id == next.id) {
        let mut names: Vec<&'static str> = path[start..].iter().map(|n| n.name).collect();
        names.push(next.name);
        let mut key = names[..names.len() - 1].to_vec();
        key.sort_unstable();
        if !cycles.contains(&key) {
            cycles.push(key);
            errors.push(BuildError::Cycle { path: names });
        }
        return;
    }
    path.push(next);
    walk(graph, next, path, errors, cycles);
    path.pop();
}

/// A `#[inject(param)]` field some bound type needs: its owner and name, and its type.
pub(super) struct Needed {
    pub(super) owner: TypeId,
    pub(super) owner_name: &'static str,
    pub(super) field: &'static str,
    pub(super) type_id: TypeId,
}

/// Every parameter the bound types need, through owned dependencies too.
pub(super) fn params_needed(graph: &Graph<'_>) -> Vec<Needed> {
    fn collect(
        owner: TypeId,
        owner_name: &'static str,
        dependencies: &'static [Dependency],
        seen: &mut Vec<TypeId>,
        needed: &mut Vec<Needed>,
    ) {
        if seen.contains(&owner) {
            return;
        }
        seen.push(owner);
        for dependency in dependencies {
            match dependency.kind {
                DependencyKind::Param => needed.push(Needed {
                    owner,
                    owner_name,
                    field: (dependency.name)(),
                    type_id: (dependency.type_id)(),
                }),
                DependencyKind::Owned => collect(
                    (dependency.type_id)(),
                    (dependency.name)(),
                    dependency.dependencies,
                    seen,
                    needed,
                ),
                DependencyKind::Shared | DependencyKind::All => {}
            }
        }
    }
    let mut needed = Vec::new();
    let mut seen = Vec::new();
    for binding in graph.bindings.values().chain(graph.many.values().flatten()) {
        collect(
            binding.implementation,
            binding.implementation_name,
            binding.dependencies,
            &mut seen,
            &mut needed,
        );
    }
    needed
}

/// Shared dependencies of `singleton` (through owned ones too) that are bound shorter-lived.
fn captives(
    graph: &Graph<'_>,
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
        let held: Vec<&Binding> = match dependency.kind {
            DependencyKind::Shared => graph.bindings.get(&id).into_iter().collect(),
            DependencyKind::All => graph.many.get(&id).into_iter().flatten().collect(),
            DependencyKind::Owned => {
                captives(graph, singleton, dependency.dependencies, seen, errors);
                Vec::new()
            }
            DependencyKind::Param => Vec::new(),
        };
        for bound in held {
            if bound.lifetime != Lifetime::Singleton {
                errors.push(BuildError::Captive {
                    singleton,
                    dependency: bound.name,
                    lifetime: bound.lifetime,
                });
            }
        }
    }
}
