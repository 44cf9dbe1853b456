//! The root package lists its examples (so that the one needing servers can live with the
//! MariaDB crate's drivers): a new file under `examples/` must be listed, or it would never
//! be built.

use std::path::Path;

#[test]
fn every_example_file_is_an_example_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let manifests = [
        std::fs::read_to_string(root.join("Cargo.toml")).unwrap(),
        std::fs::read_to_string(root.join("mariadb/Cargo.toml")).unwrap(),
    ];
    let mut unlisted = Vec::new();
    for entry in std::fs::read_dir(root.join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let listed = format!("[[example]]\nname = \"{name}\"\n");
        if !manifests.iter().any(|m| m.contains(&listed)) {
            unlisted.push(name);
        }
    }
    assert!(
        unlisted.is_empty(),
        "examples/ files that no package lists as an [[example]]: {unlisted:?}"
    );
}
