use clap::Parser;

fn main() {
    let cli = exavault_migrate::cli::Cli::parse();
    let code = match exavault_migrate::cli::run(cli) {
        Ok(code) => code,
        Err(report) => {
            eprintln!("{report:?}");
            2
        }
    };
    std::process::exit(code);
}
