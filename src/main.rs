use std::process::ExitCode;

fn main() -> ExitCode {
    schede::cli::main()
}
