//! Exit codes and the one-line error convention shared by every subcommand.

use std::io::Write;
use std::process::ExitCode;

/// Success: the result is on stdout.
pub const SUCCESS: u8 = 0;
/// Findings at or above the threshold, or rotation denied.
pub const FAILURE: u8 = 1;
/// Usage error or unreadable input.
pub const USAGE: u8 = 2;

/// Prints `rotation-policy: MESSAGE` on one stderr line; exit code 2.
pub fn usage(message: impl std::fmt::Display) -> ExitCode {
    let line = message.to_string().replace('\n', " ");
    let _ = writeln!(std::io::stderr(), "rotation-policy: error: {line}");
    ExitCode::from(USAGE)
}

/// Prints `rotation-policy: warning: MESSAGE` on one stderr line; the exit
/// code is not affected.
pub fn warning(message: impl std::fmt::Display) {
    let line = message.to_string().replace('\n', " ");
    let _ = writeln!(std::io::stderr(), "rotation-policy: warning: {line}");
}

/// Renders a clap error: help and version go to stdout with exit code 0,
/// anything else becomes one stderr line with exit code 2.
pub fn clap_error(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match err.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = err.print();
            ExitCode::from(
                if err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                    USAGE
                } else {
                    SUCCESS
                },
            )
        }
        _ => {
            // clap spreads one error over several lines (the missing flag,
            // the possible values, a tip); keep them all, on one line.
            let rendered = err.render().to_string();
            let mut line = String::new();
            for part in rendered
                .lines()
                .map(str::trim)
                .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
                .filter(|l| !l.is_empty())
            {
                if !line.is_empty() {
                    line.push_str(if part.starts_with("tip:") { "; " } else { " " });
                }
                line.push_str(part.trim_start_matches("error: "));
            }
            usage(if line.is_empty() {
                "invalid arguments"
            } else {
                &line
            })
        }
    }
}

/// Writes the result to stdout; a closed pipe is not an error worth a panic.
pub fn print_stdout(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::from(SUCCESS),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(SUCCESS),
        Err(e) => usage(format!("cannot write to stdout: {e}")),
    }
}
