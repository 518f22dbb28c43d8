//! Reading input files for `lint` and `check`, with the documented limit.

use std::io::Read;

/// The largest input accepted, per file: 4 MiB. IAM's largest policy
/// (a Lambda function policy) is 20 KB, so anything larger is not a policy;
/// reading stops there instead of loading an arbitrarily large file.
pub const MAX_INPUT_BYTES: u64 = 4 * 1024 * 1024;

/// Reads `path` (`-` for stdin), refusing input over [`MAX_INPUT_BYTES`].
/// Errors are one-line messages naming the file.
pub fn read_input(path: &str) -> Result<Vec<u8>, String> {
    let limit = MAX_INPUT_BYTES + 1;
    let mut bytes = Vec::new();
    let result = if path == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit).read_to_end(&mut bytes))
    };
    let shown = if path == "-" { "<stdin>" } else { path };
    result.map_err(|e| format!("cannot read `{shown}`: {e}"))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(format!(
            "`{shown}` is larger than {} MiB, the most `rotation-policy` reads (IAM policies are at most 20 KB)",
            MAX_INPUT_BYTES / (1024 * 1024)
        ));
    }
    Ok(bytes)
}
