#![no_main]

#[path = "common.rs"]
mod common;

use exavault_migrate::language::Lang;

// `.ts` and `.tsx` use two grammars: every input goes through both.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::run(Lang::TypeScript, data);
    common::run(Lang::Tsx, data);
});
