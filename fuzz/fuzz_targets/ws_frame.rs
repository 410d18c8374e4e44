//! A WebSocket text frame from anyone: read, refused or routed (`plenum_server::fuzzing`).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| plenum_server::fuzzing::ws_frame(data));
