//! The crate's layer map (`src/layers.md`, part of the crate docs) is true: every `crate::` path
//! in a module's code names itself or a module the map lets it use.

use std::collections::BTreeMap;
use std::path::Path;

/// The map's table: module → the modules it may use.
fn map() -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/layers.md"))
        .expect("src/layers.md");
    let mut map = BTreeMap::new();
    for line in text.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let name = cells[1].trim_matches('`').to_string();
        let uses = cells[3]
            .split(',')
            .map(|c| c.trim().trim_matches('`').to_string())
            .filter(|c| !c.is_empty() && c != "—")
            .collect();
        map.insert(name, uses);
    }
    map
}

/// Every `.rs` file of a module: `src/<m>.rs` and everything under `src/<m>/`.
fn files(module: &str) -> Vec<std::path::PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let single = src.join(format!("{module}.rs"));
    if single.exists() {
        out.push(single);
    }
    let mut stack = vec![src.join(module)];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out
}

/// The modules named by `crate::x` in the code of `text` (comments, doc comments included, are
/// left out: a doc link is not a use).
fn uses(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            // `$crate::` in macros and `kinesis_codec::`-style paths are not this crate's modules.
            let before = &rest[..at];
            if !before.ends_with('$')
                && !before.ends_with(|c: char| c.is_alphanumeric() || c == '_')
            {
                out.push(name);
            }
            rest = after;
        }
    }
    out
}

#[test]
fn every_module_uses_only_what_the_layer_map_allows() {
    let map = map();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    // Every top-level module of the crate is in the map.
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    let declared: Vec<String> = lib
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("pub mod ")
                .or(l.trim().strip_prefix("mod "))
        })
        .map(|l| l.trim_end_matches(';').to_string())
        .collect();
    assert!(declared.len() >= 10, "lib.rs declares {declared:?}");
    for m in &declared {
        assert!(
            map.contains_key(m),
            "module `{m}` is missing from src/layers.md"
        );
    }
    let mut wrong = Vec::new();
    for (module, allowed) in &map {
        let found = files(module);
        assert!(
            !found.is_empty(),
            "src/layers.md names `{module}`, which has no files"
        );
        for file in found {
            let text = std::fs::read_to_string(&file).expect("read source");
            for used in uses(&text) {
                if &used != module && !allowed.contains(&used) && map.contains_key(&used) {
                    wrong.push(format!("{}: uses `{used}`", file.display()));
                }
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "uses the layer map does not allow:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_checker_sees_a_use_and_skips_a_doc_link() {
    assert_eq!(uses("use crate::wire::x; // crate::kinesis"), ["wire"]);
    assert_eq!(uses("/// [`x`](crate::producer::X)"), Vec::<String>::new());
    assert_eq!(uses("$crate::json::y"), Vec::<String>::new());
}
