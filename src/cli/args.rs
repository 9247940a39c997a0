//! Arguments several commands share.

use crate::whatif::Override;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub(super) struct DirArg {
    /// Workspace directory (the one holding kinerja.yaml).
    #[arg(default_value = ".")]
    pub(super) dir: PathBuf,
}

/// How one run reads its inputs: what-if overrides, bad budget lines.
#[derive(Debug, Args, Default)]
pub(super) struct WhatIfArgs {
    /// Leave budget CSV lines that cannot be read out of the sums (each is a warning)
    /// instead of failing.
    #[arg(long)]
    pub(super) allow_bad_rows: bool,
    /// Override an input for this run only, without editing files: IKP4.2.target=75,
    /// IKP4.2.target.2024=80, IKP4.2.realisasi=60, IKP4.1.masukan.n=340, KEGIATAN.pagu=… (a kegiatan code)
    /// Repeatable.
    #[arg(long = "set", value_name = "ID.FIELD=VALUE", value_parser = parse_override)]
    pub(super) set: Vec<Override>,
    /// The period reported, instead of the manifest's `periode.laporan`: TW2 (triwulan),
    /// S1 (semester), Juni (bulan). Without either, the whole year.
    #[arg(long, value_name = "PERIODE")]
    pub(super) periode: Option<String>,
}

impl WhatIfArgs {
    pub(super) fn run_options(&self) -> crate::analysis::Options {
        crate::analysis::Options {
            overrides: self.set.clone(),
            allow_bad_rows: self.allow_bad_rows,
            periode: self.periode.clone(),
        }
    }
}

fn parse_override(text: &str) -> Result<Override, String> {
    text.parse()
        .map_err(|e: crate::whatif::OverrideError| e.to_string())
}

/// Text for people, or JSON for tools.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(super) enum TextOrJson {
    Text,
    Json,
}

/// A number format (and, for the page, a language).
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(super) enum LocaleArg {
    En,
    Id,
}

impl From<LocaleArg> for crate::base::number::Locale {
    fn from(l: LocaleArg) -> Self {
        match l {
            LocaleArg::En => crate::base::number::Locale::En,
            LocaleArg::Id => crate::base::number::Locale::Id,
        }
    }
}
