//! `conform checks`: the check registry, as text or as the README's
//! markdown table.

use conform::run::checks::CHECKS;

use super::exit::{Exit, SUCCESS};

/// Arguments of `conform checks`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print a markdown table (the one in the README).
    #[arg(long)]
    markdown: bool,
}

/// The registry as a markdown table.
pub fn markdown() -> String {
    let mut out = String::from("| check | claims | judges |\n|---|---|---|\n");
    for c in CHECKS {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            c.name(),
            c.doc(),
            c.applies_to()
        ));
    }
    out
}

/// The registry as aligned text.
pub fn text() -> String {
    let width = CHECKS.iter().map(|c| c.name().len()).max().unwrap_or(0);
    CHECKS
        .iter()
        .map(|c| {
            format!(
                "{:width$}  {}\n{:width$}  (judges {})\n",
                c.name(),
                c.doc(),
                "",
                c.applies_to()
            )
        })
        .collect()
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    super::emit(&if args.markdown { markdown() } else { text() })?;
    Ok(SUCCESS)
}
