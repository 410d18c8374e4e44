//! An agenda or event document from an organiser's script: parsed and checked
//! (`plenum_server::fuzzing`).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| plenum_server::fuzzing::agenda(data));
