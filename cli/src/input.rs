//! Reading input files for `lint` and `check`, with the documented limit.

use std::io::Read;

use rayon::prelude::*;

/// The largest input accepted, per file: 4 MiB. IAM's largest policy
/// (a Lambda function policy) is 20 KB, so anything larger is not a policy;
/// reading stops there instead of loading an arbitrarily large file.
pub const MAX_INPUT_BYTES: u64 = 4 * 1024 * 1024;

/// Reads `path` (`-` for stdin), refusing input over [`MAX_INPUT_BYTES`].
/// Errors are one-line messages naming the file.
pub fn read_input(path: &str) -> Result<Vec<u8>, String> {
    match open(path) {
        Ok(Opened::Directory) => Err(format!("cannot read `{path}`: Is a directory")),
        Ok(Opened::File(bytes)) => Ok(bytes),
        Err(message) => Err(message),
    }
}

/// What [`open`] found at a path.
enum Opened {
    /// A directory, to be walked by `lint`.
    Directory,
    /// Anything else, read.
    File(Vec<u8>),
}

/// Opens `path` once and reads it, unless it is a directory: one `open`
/// and one `fstat` tell both, and the size lets the file be read in one
/// call (`take` still bounds a file that grows or reports no size).
fn open(path: &str) -> Result<Opened, String> {
    let limit = MAX_INPUT_BYTES + 1;
    let mut bytes = Vec::new();
    let shown = if path == "-" { "<stdin>" } else { path };
    let error = |e: std::io::Error| format!("cannot read `{shown}`: {e}");
    if path == "-" {
        std::io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(error)?;
    } else {
        let file = std::fs::File::open(path).map_err(error)?;
        let metadata = file.metadata().map_err(error)?;
        if metadata.is_dir() {
            return Ok(Opened::Directory);
        }
        bytes.reserve_exact(metadata.len().min(limit) as usize + 1);
        file.take(limit).read_to_end(&mut bytes).map_err(error)?;
    }
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(format!(
            "`{shown}` is larger than {} MiB, the most `rotation-policy` reads (IAM policies are at most 20 KB)",
            MAX_INPUT_BYTES / (1024 * 1024)
        ));
    }
    Ok(Opened::File(bytes))
}

/// Whether `lint` reads a file met while walking a directory (core's rule
/// on file names).
pub fn understood(path: &std::path::Path) -> bool {
    path.file_name()
        .is_some_and(|n| rotation_policy_core::template::reads_file_named(&n.to_string_lossy()))
}

/// One input of `lint`: its name as shown and its bytes (or why it could
/// not be read).
pub struct Input {
    /// The path as given or found (`<stdin>` for `-`).
    pub name: String,
    /// Found by walking a directory (not named by the user).
    pub walked: bool,
    /// The bytes, or a one-line error naming the file.
    pub bytes: Result<Vec<u8>, String>,
}

/// Applies `each` to the inputs `args` name, in parallel, and returns its
/// results in order: `-` is stdin, a file is read, a directory is walked
/// with ripgrep's walker (`.gitignore`, `.ignore` and hidden files
/// honoured; symbolic links followed, so a loop is an error naming it),
/// sorted by name. Each file is read by the thread that handles it, so
/// reading and linting overlap and a file's bytes are dropped as soon as
/// `each` is done with them.
pub fn for_each_input<'a, T: Send>(
    args: impl IntoIterator<Item = &'a str>,
    each: impl Fn(Input) -> T + Sync,
) -> Collected<T> {
    let args: Vec<&str> = args.into_iter().collect();
    // A named file is handled where it is opened; a directory is walked after.
    let first: Vec<Result<T, &str>> = args
        .par_iter()
        .map(|&arg| {
            let bytes = match open(arg) {
                Ok(Opened::Directory) => return Err(arg),
                Ok(Opened::File(bytes)) => Ok(bytes),
                Err(message) => Err(message),
            };
            Ok(each(Input {
                name: if arg == "-" { "<stdin>" } else { arg }.to_owned(),
                walked: false,
                bytes,
            }))
        })
        .collect();
    let mut outputs = Vec::new();
    let mut skipped = 0;
    let mut directories = 0;
    for outcome in first {
        let directory = match outcome {
            Ok(output) => {
                outputs.push(output);
                continue;
            }
            Err(directory) => directory,
        };
        directories += 1;
        let (found, passed_over) = walk(directory);
        skipped += passed_over;
        outputs.par_extend(found.into_par_iter().map(|entry| {
            each(match entry {
                Ok(name) => Input {
                    bytes: read_input(&name),
                    name,
                    walked: true,
                },
                Err((name, why)) => Input {
                    bytes: Err(format!("cannot read `{name}`: {why}")),
                    name,
                    walked: true,
                },
            })
        }));
    }
    Collected {
        outputs,
        skipped,
        directories,
    }
}

/// The files a walk of `directory` finds that `lint` reads, in name order,
/// each a path or the path and reason of an error; and how many files it
/// passed over (not JSON or YAML by name).
#[allow(clippy::type_complexity)]
fn walk(directory: &str) -> (Vec<Result<String, (String, String)>>, usize) {
    let mut found = Vec::new();
    let mut skipped = 0;
    let walk = ignore::WalkBuilder::new(directory)
        .follow_links(true)
        // .gitignore counts outside a git checkout too: a template
        // directory copied out of a repository keeps its meaning.
        .require_git(false)
        .sort_by_file_name(std::ffi::OsStr::cmp)
        .build();
    for entry in walk {
        match entry {
            Ok(entry) => {
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                if !understood(entry.path()) {
                    skipped += 1;
                    continue;
                }
                found.push(Ok(entry.path().to_string_lossy().into_owned()));
            }
            Err(err) => found.push(Err(walk_error(&err, directory))),
        }
    }
    (found, skipped)
}

/// What [`for_each_input`] did.
pub struct Collected<T> {
    /// The results, one per file in the order given (a directory's in name
    /// order).
    pub outputs: Vec<T>,
    /// Files the walks passed over (not JSON or YAML by name).
    pub skipped: usize,
    /// How many of the arguments were directories.
    pub directories: usize,
}

/// The path a walk error is about (else the walked directory) and what
/// went wrong, on one line.
fn walk_error(err: &ignore::Error, walked: &str) -> (String, String) {
    match err {
        ignore::Error::WithPath { path, err } => {
            let (_, why) = walk_error(err, walked);
            (path.to_string_lossy().into_owned(), why)
        }
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error(err, walked)
        }
        ignore::Error::Loop { ancestor, child } => (
            child.to_string_lossy().into_owned(),
            format!(
                "a symbolic link loop: it leads back to `{}`",
                ancestor.to_string_lossy()
            ),
        ),
        ignore::Error::Io(io) => (walked.to_owned(), io.to_string()),
        other => (walked.to_owned(), other.to_string().replace('\n', " ")),
    }
}
