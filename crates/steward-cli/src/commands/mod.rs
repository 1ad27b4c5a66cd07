//! One module per subcommand.

pub mod demo;
pub mod generate;
pub mod hunt;
pub mod impact;
pub mod scan;
pub mod watch;
