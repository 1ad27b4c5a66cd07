//! One module per subcommand.

pub mod check;
pub mod demo;
pub mod generate;
pub mod hunt;
pub mod impact;
pub mod map;
pub mod notify;
pub mod scan;
pub mod watch;
