-- Run by test/neovim/neovim.test.ts in headless Neovim (0.7+): loads an LSP set-up (the README's, with the
-- command pointed at this repository's CLI), opens a topology file, waits until the language server's
-- diagnostics arrive, and writes them as JSON to $TOPOLINT_NVIM_OUT. Then quits.
local out = assert(os.getenv('TOPOLINT_NVIM_OUT'), 'TOPOLINT_NVIM_OUT is not set')

local function finish(result)
  local f = assert(io.open(out, 'w'))
  f:write(vim.json.encode(result))
  f:close()
  vim.cmd('qall!')
end

local ok, err = pcall(dofile, os.getenv('TOPOLINT_NVIM_SETUP'))
if not ok then
  finish({ error = 'the set-up failed: ' .. tostring(err) })
  return
end

vim.cmd('edit ' .. vim.fn.fnameescape(os.getenv('TOPOLINT_NVIM_FILE')))
-- vim.wait runs Neovim's event loop until the condition holds: the diagnostics are published.
local published = vim.wait(tonumber(os.getenv('TOPOLINT_NVIM_WAIT_MS') or '20000'), function()
  return #vim.diagnostic.get(0) > 0
end, 20)

local clients = {}
for _, c in pairs(vim.lsp.buf_get_clients(0)) do
  table.insert(clients, c.name)
end
local diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  local lsp = d.user_data and d.user_data.lsp or {}
  table.insert(diagnostics, {
    code = d.code or lsp.code,
    severity = d.severity,
    lnum = d.lnum,
    col = d.col,
    end_lnum = d.end_lnum,
    end_col = d.end_col,
    source = d.source,
    message = d.message,
  })
end
finish({ published = published, clients = clients, diagnostics = diagnostics })
