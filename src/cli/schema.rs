//! `kinerja schema`: the JSON Schema of every workspace file, for editors.

use super::common::{Io, Result};
use super::{EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE};
use crate::base::diagnostic::did_you_mean;
use crate::schema::{self, Status, WriteError, Written};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub(super) struct SchemaArgs {
    /// The schema to print: kinerja, indicators, budgets, rule-tests or kategori. Without it
    /// (and without --output) the schemas are listed.
    name: Option<String>,
    /// Write every schema into DIR (made if needed), each whole or not at all; never over a
    /// file that is not a schema kinerja wrote.
    #[arg(long, short, value_name = "DIR", conflicts_with = "name")]
    output: Option<PathBuf>,
    /// With --output: compare the schemas in DIR with this version's and write nothing;
    /// exit 1 when one differs or is missing.
    #[arg(long, requires = "output")]
    check: bool,
}

pub(super) fn run(args: &SchemaArgs, io: &mut Io) -> Result<u8> {
    match (&args.name, &args.output) {
        (Some(name), _) => print(name, io),
        (None, Some(dir)) if args.check => check(dir, io),
        (None, Some(dir)) => write(dir, io),
        (None, None) => list(io),
    }
}

fn print(name: &str, io: &mut Io) -> Result<u8> {
    if let Some(s) = schema::named(name) {
        io.out.write_all(s.text.as_bytes())?;
        return Ok(EXIT_OK);
    }
    let names = schema::names();
    let hint = match did_you_mean(name, names.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("the schemas are: {}", names.join(", ")),
    };
    writeln!(io.err, "error: no schema `{name}`\n  hint: {hint}")?;
    Ok(EXIT_USAGE)
}

fn list(io: &mut Io) -> Result<u8> {
    let all = schema::all();
    let width = all.iter().map(|s| s.file_name().len()).max().unwrap_or(0);
    writeln!(io.out, "{:width$}  for", "schema")?;
    for s in &all {
        writeln!(
            io.out,
            "{:width$}  {}",
            s.file_name(),
            s.kind.files.join(", ")
        )?;
    }
    writeln!(
        io.out,
        "\nWrite them into the workspace with `kinerja schema --output schema`, then tell the editor\nwhich file takes which. VS Code (YAML extension), in .vscode/settings.json:\n{}or, in any editor using yaml-language-server, a first line in the file, relative to it\n(for indicators/sp1.yaml):\n  {}\n`kinerja schema NAME` prints one.",
        indent(&schema::vscode_settings("schema")),
        schema::modeline("../schema/indicators.schema.json")
    )?;
    Ok(EXIT_OK)
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

fn write(dir: &std::path::Path, io: &mut Io) -> Result<u8> {
    match schema::write_into(dir) {
        Ok(written) => {
            for (path, w) in written {
                let what = match w {
                    Written::Written => "wrote",
                    Written::Unchanged => "unchanged",
                };
                writeln!(io.out, "{what} {}", path.display())?;
            }
            Ok(EXIT_OK)
        }
        Err(e @ WriteError::Foreign(_)) => {
            writeln!(io.err, "error: {e}")?;
            Ok(EXIT_USAGE)
        }
        Err(e) => Err(e.into()),
    }
}

fn check(dir: &std::path::Path, io: &mut Io) -> Result<u8> {
    let mut stale = false;
    for (path, status) in schema::compare(dir) {
        let what = match status {
            Status::UpToDate => "up to date",
            Status::Differs => "differs from this version's",
            Status::Missing => "missing",
            Status::Foreign => "not a schema kinerja wrote",
        };
        stale |= status != Status::UpToDate;
        writeln!(io.out, "{}: {what}", path.display())?;
    }
    if stale {
        writeln!(
            io.err,
            "error: the schemas in {} are not this version's\n  hint: run `kinerja schema --output {}` to write them",
            dir.display(),
            dir.display()
        )?;
        return Ok(EXIT_PROBLEMS);
    }
    Ok(EXIT_OK)
}
