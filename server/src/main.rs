fn main() -> std::process::ExitCode {
    dockwise::cli::main()
}
