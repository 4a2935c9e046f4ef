-- Headless Neovim 0.11 test of the shipped `lsp/dockwise.lua`. Run it through run.sh:
--
--   nvim --headless -u NONE -i NONE -c 'luafile editors/neovim/test/test.lua'
--
-- Environment: DOCKWISE_BIN (the server; absolute path), DOCKWISE_TEST_DIR (an empty
-- temporary folder to open the fixture in). It prints one line per check, then
-- "N passed, N failed", and leaves with `:qa!` (all passed) or `:cquit N`.

local out = io.stdout
local passed, failed = 0, 0

local function say(line)
  out:write(line, '\n')
  out:flush()
end

local function check(name, ok, detail)
  if ok then
    passed = passed + 1
    say('ok   ' .. name)
  else
    failed = failed + 1
    say('FAIL ' .. name .. (detail and (': ' .. detail) or ''))
  end
  return ok
end

--- Stops the server and waits for its process to end, then leaves Neovim.
local function finish()
  local clients = vim.lsp.get_clients({ name = 'dockwise' })
  for _, c in ipairs(clients) do
    c:stop()
  end
  local stopped = vim.wait(3000, function()
    for _, c in ipairs(clients) do
      if not c:is_stopped() then
        return false
      end
    end
    return true
  end, 20)
  if #clients > 0 then
    check('server stops on shutdown', stopped)
  end
  say(('%d passed, %d failed'):format(passed, failed))
  if failed > 0 then
    vim.cmd('cquit ' .. math.min(failed, 255))
  else
    vim.cmd('qa!')
  end
end

--- True when `s` holds a CJK ideograph.
local function has_cjk(s)
  for _, cp in ipairs(vim.fn.str2list(s, true)) do
    if cp >= 0x4E00 and cp <= 0x9FFF then
      return true
    end
  end
  return false
end

local function hover_text(result)
  if not result or not result.contents then
    return ''
  end
  local c = result.contents
  if type(c) == 'string' then
    return c
  end
  if c.value then
    return c.value
  end
  local parts = {}
  for _, item in ipairs(c) do
    parts[#parts + 1] = type(item) == 'string' and item or item.value
  end
  return table.concat(parts, '\n')
end

local function dockwise_diags(buf)
  local by_code = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == 'dockwise' and d.code then
      by_code[d.code] = d
    end
  end
  return by_code
end

local function main()
  local here = vim.fs.dirname(vim.fs.normalize(debug.getinfo(1, 'S').source:sub(2)))
  local neovim_dir = vim.fs.dirname(here)
  local bin = assert(os.getenv('DOCKWISE_BIN'), 'DOCKWISE_BIN is not set')
  local dir = assert(os.getenv('DOCKWISE_TEST_DIR'), 'DOCKWISE_TEST_DIR is not set')

  -- The shipped config, found on 'runtimepath' like any user's would be.
  vim.opt.runtimepath:prepend(neovim_dir)
  vim.cmd('filetype on')
  local shipped = vim.api.nvim_get_runtime_file('lsp/dockwise.lua', false)[1]
  check(
    'the shipped lsp/dockwise.lua is the one on runtimepath',
    shipped ~= nil and vim.fn.resolve(shipped) == vim.fn.resolve(neovim_dir .. '/lsp/dockwise.lua'),
    tostring(shipped)
  )

  -- The shipped cmd is `dockwise`, found on PATH (run.sh puts DOCKWISE_BIN's folder first);
  -- only a binary with another name needs cmd overridden.
  local overrides = { init_options = { language = 'zh' } }
  if vim.fs.basename(bin) ~= 'dockwise' then
    overrides.cmd = { bin }
  else
    local found = vim.fn.exepath('dockwise')
    check('`dockwise` on PATH is DOCKWISE_BIN', vim.fn.resolve(found) == vim.fn.resolve(bin), found)
  end
  vim.lsp.config('dockwise', overrides)
  local config = vim.lsp.config.dockwise
  check(
    'config merges the shipped file with the overrides',
    config.filetypes and config.filetypes[1] == 'dockerfile' and config.init_options.language == 'zh',
    vim.inspect(config)
  )
  vim.lsp.enable('dockwise')

  -- A Go module with the fixture as its Dockerfile.
  local fixture = vim.fn.readfile(here .. '/go.Dockerfile')
  vim.fn.writefile(fixture, dir .. '/Dockerfile')
  vim.fn.writefile({ 'module example.com/app', '', 'go 1.22' }, dir .. '/go.mod')
  vim.cmd.edit(vim.fn.fnameescape(dir .. '/Dockerfile'))
  local buf = vim.api.nvim_get_current_buf()
  check('filetype is dockerfile', vim.bo[buf].filetype == 'dockerfile', vim.bo[buf].filetype)

  local client
  vim.wait(5000, function()
    client = vim.lsp.get_clients({ bufnr = buf, name = 'dockwise' })[1]
    return client ~= nil and client.initialized
  end, 10)
  if not check('dockwise attaches to the buffer', client ~= nil) then
    return
  end
  check(
    'root_dir comes from go.mod',
    client.root_dir and vim.fn.resolve(client.root_dir) == vim.fn.resolve(dir),
    tostring(client.root_dir)
  )
  -- Report the server's process id so run.sh can make sure it is gone afterwards.
  for _, pid in ipairs(vim.api.nvim_get_proc_children(vim.fn.getpid())) do
    local p = vim.api.nvim_get_proc(pid)
    if p and p.name and p.name:find('dockwise', 1, true) then
      say('server pid ' .. pid)
    end
  end

  -- Diagnostics.
  local diags = {}
  vim.wait(5000, function()
    diags = dockwise_diags(buf)
    return diags.GO101 ~= nil and diags.DF506 ~= nil
  end, 10)
  local codes = vim.tbl_keys(diags)
  table.sort(codes)
  check('diagnostics include GO101', diags.GO101 ~= nil, table.concat(codes, ' '))
  if not diags.GO101 or not diags.DF506 then
    return
  end
  check('GO101 is on the FROM image', diags.GO101.lnum == 1 and diags.GO101.col == 5)
  check('messages are in Chinese (language = "zh")', has_cjk(diags.GO101.message), diags.GO101.message)

  -- Hover over the GO101 diagnostic.
  local uri = vim.uri_from_bufnr(buf)
  local function hover_at(d)
    local res = client:request_sync('textDocument/hover', {
      textDocument = { uri = uri },
      position = { line = d.lnum, character = d.col + 1 },
    }, 3000, buf)
    return hover_text(res and res.result)
  end
  local text = hover_at(diags.GO101)
  check('hover explains GO101', text:find('GO101', 1, true) ~= nil, text:sub(1, 200))
  check('hover is in Chinese', has_cjk(text), text:sub(1, 200))

  -- Code actions at the DF506 diagnostic (lower-case `from`), through Neovim's own request.
  local lsp_diag = diags.DF506.user_data and diags.DF506.user_data.lsp
  local responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = lsp_diag and lsp_diag.range or {
      start = { line = diags.DF506.lnum, character = diags.DF506.col },
      ['end'] = { line = diags.DF506.end_lnum, character = diags.DF506.end_col },
    },
    context = { diagnostics = { lsp_diag }, only = { 'quickfix' } },
  }, 3000)
  local actions = {}
  for _, r in pairs(responses or {}) do
    vim.list_extend(actions, r.result or {})
  end
  local fix, ignore
  for _, a in ipairs(actions) do
    if a.kind == 'quickfix' and a.title:find('(DF506)', 1, true) then
      fix = a
    elseif a.kind == 'quickfix' and a.title:find('DF506', 1, true) then
      ignore = a
    end
  end
  local titles = vim.tbl_map(function(a)
    return a.title
  end, actions)
  check('a quickfix for DF506 is offered', fix ~= nil and fix.edit ~= nil, table.concat(titles, ' | '))
  check('"ignore DF506 on this instruction" is offered', ignore ~= nil, table.concat(titles, ' | '))
  if not fix then
    return
  end
  local before = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding)
  local after = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local expected = vim.deepcopy(before)
  expected[2] = 'FROM golang:1.22'
  check(
    'the quickfix rewrites `from` as `FROM` and nothing else',
    vim.deep_equal(after, expected),
    vim.inspect(after)
  )

  -- The server sees the edit (incremental sync) and drops DF506.
  local gone = vim.wait(5000, function()
    local d = dockwise_diags(buf)
    return d.DF506 == nil and d.GO101 ~= nil
  end, 10)
  check('DF506 disappears after the edit, GO101 stays', gone)

  -- source.fixAll.dockwise through Neovim's own code-action command: one action, applied
  -- without a prompt. The safe fixes left include GO110's cache mounts.
  vim.api.nvim_win_set_cursor(0, { 7, 0 })
  vim.lsp.buf.code_action({ context = { only = { 'source.fixAll.dockwise' } }, apply = true })
  local function buffer_text()
    return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
  end
  local fixed = vim.wait(5000, function()
    return buffer_text():find('--mount=type=cache', 1, true) ~= nil
  end, 10)
  check('source.fixAll.dockwise adds the cache mounts', fixed, buffer_text())
  local go110_gone = vim.wait(5000, function()
    local d = dockwise_diags(buf)
    return d.GO110 == nil and d.GO101 ~= nil
  end, 10)
  check('GO110 disappears after fix-all', go110_gone)

  -- Settings from workspace/didChangeConfiguration win over init_options.
  client.settings = { dockwise = { language = 'en' } }
  client:notify('workspace/didChangeConfiguration', { settings = client.settings })
  text = hover_at(dockwise_diags(buf).GO101 or diags.GO101)
  check('settings.dockwise.language = "en" switches the hover to English', text ~= '' and not has_cjk(text), text:sub(1, 200))
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  check('test script runs without a Lua error', false, err)
end
finish()
