//! The generated shapes are up to date with the models and the generator.
//!
//! Regenerates every generated file in memory and compares it with the checked-in file.
//! `KINESIS_CODEC_REGENERATE=1 cargo test --test generated_fresh` rewrites them instead.

mod codegen;

use std::path::Path;

#[test]
fn generated_files_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let regenerate = std::env::var_os("KINESIS_CODEC_REGENERATE").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
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
    }
    assert!(
        stale.is_empty(),
        "generated files are stale: {stale:?}; run KINESIS_CODEC_REGENERATE=1 cargo test --test generated_fresh"
    );
}
