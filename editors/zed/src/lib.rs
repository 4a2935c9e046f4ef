//! Zed glue for the dockwise language server: find the binary, pass the user's settings.
//! Every behaviour lives in the server; this file only starts it.

use zed_extension_api::{self as zed, serde_json, settings::LspSettings, LanguageServerId, Result};

/// The binary, and the name of the server in `extension.toml` and in Zed's `lsp` settings.
const SERVER: &str = "dockwise";

struct Dockwise;

impl Dockwise {
    fn settings(id: &LanguageServerId, worktree: &zed::Worktree) -> LspSettings {
        LspSettings::for_worktree(id.as_ref(), worktree).unwrap_or_default()
    }
}

impl zed::Extension for Dockwise {
    fn new() -> Self {
        Dockwise
    }

    /// `lsp.dockwise.binary.path` when set, else `dockwise` from the worktree's `PATH`.
    fn language_server_command(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let binary = Self::settings(id, worktree).binary;
        let configured = binary.as_ref().and_then(|b| b.path.clone());
        let command = match configured.or_else(|| worktree.which(SERVER)) {
            Some(path) => path,
            None => {
                return Err(format!(
                    "`{SERVER}` was not found on PATH. Install it with \
                     `cargo install --path server` from a clone of the dockwise repository \
                     (it goes to ~/.cargo/bin), or set \"lsp\": {{ \"{SERVER}\": {{ \"binary\": \
                     {{ \"path\": \"/path/to/{SERVER}\" }} }} }} in Zed's settings.\n\
                     在 PATH 中找不到 `{SERVER}`。请在 dockwise 仓库的克隆目录中运行 \
                     `cargo install --path server` 安装（会安装到 ~/.cargo/bin），或在 Zed 的设置中加入 \
                     \"lsp\": {{ \"{SERVER}\": {{ \"binary\": {{ \"path\": \"/path/to/{SERVER}\" }} }} }}。"
                ))
            }
        };
        let args = binary
            .as_ref()
            .and_then(|b| b.arguments.clone())
            .unwrap_or_default();
        let mut env = worktree.shell_env();
        if let Some(extra) = binary.and_then(|b| b.env) {
            env.extend(extra);
        }
        Ok(zed::Command { command, args, env })
    }

    /// `lsp.dockwise.initialization_options`, e.g. `{ "language": "zh" }`.
    fn language_server_initialization_options(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        Ok(Self::settings(id, worktree).initialization_options)
    }

    /// `lsp.dockwise.settings`, sent under the `dockwise` key the server reads.
    fn language_server_workspace_configuration(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        Ok(Self::settings(id, worktree)
            .settings
            .map(|s| serde_json::json!({ SERVER: s })))
    }
}

zed::register_extension!(Dockwise);
