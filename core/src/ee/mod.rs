//! Execution environments. The runner talks to an environment through frames: it starts one,
//! lets it run until it asks for a call or a deployment or finishes, and resumes it with the result.

pub mod evm;
