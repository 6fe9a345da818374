//! The README's table of actions (between its marker lines) is the one the spec makes today:
//! `cargo run -p zim-codegen -- actions-table --update README.md` rewrites it.

use std::path::Path;

use zim_codegen::generate::table;

#[test]
fn readme_table_of_actions_is_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let api = zim_codegen::check::load(&root.join("spec")).unwrap_or_else(|d| panic!("{d}"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md is readable");
    let current = table::current_block(&readme).unwrap_or_else(|| {
        panic!(
            "README.md lacks the table markers:\n{}\n{}",
            table::BEGIN,
            table::END
        )
    });
    let expected = format!("\n\n{}\n", table::actions_table(&api));
    assert!(
        current == expected,
        "README.md's table of actions is stale; run `cargo run -p zim-codegen -- actions-table --update README.md`"
    );
}
