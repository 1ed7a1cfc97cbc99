//! The generated shapes are up to date with the models and the generator.
//!
//! Regenerates every generated file in memory and compares it with the checked-in file.
//! `KINESIS_CODEC_REGENERATE=1 cargo test --test generated_fresh` rewrites them instead.
//!
//! A folder of generated code holds nothing else: a file there that the generator does not write
//! fails the test (with `KINESIS_CODEC_REGENERATE=1` a leftover generated file is removed; a
//! hand-written one is never touched).

mod codegen;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[test]
fn generated_files_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let regenerate = std::env::var_os("KINESIS_CODEC_REGENERATE").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    let mut written = BTreeSet::new();
    for (path, text) in codegen::generate(root) {
        assert!(
            text.starts_with(codegen::HEADER),
            "{} does not start with the generated marker",
            path.display()
        );
        let full = root.join(&path);
        let current = std::fs::read_to_string(&full).unwrap_or_default();
        if current != text {
            if regenerate {
                std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
                std::fs::write(&full, &text).expect("write generated file");
                eprintln!("regenerated {}", path.display());
            } else {
                stale.push(path.display().to_string());
            }
        }
        written.insert(path);
    }
    assert!(
        stale.is_empty(),
        "generated files are stale: {stale:?}; \
         run KINESIS_CODEC_REGENERATE=1 cargo test --test generated_fresh"
    );
    let mut strays = Vec::new();
    for dir in codegen::generated_dirs() {
        for path in files_under(root, &dir) {
            if written.contains(&path) {
                continue;
            }
            let full = root.join(&path);
            let text = std::fs::read_to_string(&full).unwrap_or_default();
            if regenerate && text.starts_with(codegen::HEADER) {
                std::fs::remove_file(&full).expect("remove a leftover generated file");
                eprintln!("removed {}", path.display());
            } else {
                strays.push(path.display().to_string());
            }
        }
    }
    assert!(
        strays.is_empty(),
        "files in a generated folder that the generator does not write: {strays:?}; \
         hand-written code lives outside `generated/`, a leftover generated file goes with \
         KINESIS_CODEC_REGENERATE=1 cargo test --test generated_fresh"
    );
}

/// Every file under `dir` (relative to `root`), as paths relative to `root`.
fn files_under(root: &Path, dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return files;
    };
    for entry in entries {
        let entry = entry.expect("read a directory entry");
        let path = dir.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            files.extend(files_under(root, &path));
        } else {
            files.push(path);
        }
    }
    files
}
