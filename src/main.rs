use clap::Parser;
use kinerja::cli::{self, Cli, ColorChoice, Io};
use std::io::IsTerminal;
use std::process::ExitCode;

// A national-size workspace is millions of small, short-lived allocations made on every
// core (YAML trees, model strings); mimalloc's per-thread pages halve their cost against
// the system allocator (see BENCHMARKS.md). Built without transparent huge pages
// (`no_thp`): where the kernel compacts memory for them on demand, a run could stall for
// most of a second. The library itself does not choose an allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| {
        match cli.verbose {
            0 => "warn",
            1 => "kinerja=debug",
            _ => "trace",
        }
        .to_string()
    });
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none())
        .init();
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let width = cli::table_width(std::io::stdout().is_terminal());
    // Not locked for the whole run: watch evaluates on a worker thread that logs to stderr.
    let (mut out, mut err) = (std::io::stdout(), std::io::stderr());
    let mut io = Io {
        out: &mut out,
        err: &mut err,
        color,
        width,
    };
    ExitCode::from(cli::run(&cli, &mut io))
}
