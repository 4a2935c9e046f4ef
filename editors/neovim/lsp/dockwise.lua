-- dockwise: a language server for Dockerfiles (English / 中文).
--
-- Neovim 0.11+: put the folder holding this `lsp/` directory on 'runtimepath', then
--
--   vim.lsp.enable('dockwise')
--
-- Override any field with `vim.lsp.config('dockwise', { ... })`; the tables are merged.
-- Neovim already gives `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `*.dockerfile`,
-- `Containerfile` and `Containerfile.*` the `dockerfile` filetype.
return {
  cmd = { 'dockwise' },
  filetypes = { 'dockerfile' },
  -- A Go module's root first: the server reads go.mod, go.sum and .dockerignore from the
  -- Dockerfile's own folder, so the root only decides which files share a server.
  root_markers = { 'go.mod', '.git', 'Dockerfile' },
  -- Read once, when the server starts.
  init_options = {
    language = 'auto', -- auto (from the editor's locale) | en | zh | both
  },
  -- Sent with workspace/didChangeConfiguration after start-up, so these keys win over
  -- init_options. Same keys as dockwise.toml:
  --   language = 'zh',
  --   ignore   = { 'DF510', 'JSONArgsRecommended' },   -- codes or hadolint/BuildKit names
  --   severity = { GO110 = 'warning' },                  -- error | warning | info | hint
  --   target   = 'runtime',                              -- the stage that is built
  settings = {
    dockwise = {},
  },
}
