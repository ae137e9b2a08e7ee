//! Messages the commands print to a person on the terminal.

use super::Message;

pub const RUN_WRITTEN: Message = Message::new("cli.run_written", "运行结果已写入 {path}", "run written to {path}");

/// Every message of this area, for the catalogue's index and its test.
pub const ALL: &[&Message] = &[&RUN_WRITTEN];
