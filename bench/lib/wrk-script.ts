/**
 * The Lua script wrk runs for one load run of a `single` or `chain` plan (request-plan.ts).
 *
 * - single: every request is the template with a fresh unique string (slot 0).
 * - chain: a queue of values taken from first-step answers; each new request pops one and sends
 *   the second step with it, or sends a first step when the queue is empty. Answers are told apart
 *   by shape: one holding every slot path is a first-step answer.
 *
 * wrk's own counters miss what the bench needs, so the script counts requests sent, non-2xx
 * answers, GraphQL `errors` in 2xx answers, and first/second-step answers, and `done()` prints
 * them with the latency percentiles as one `BENCH_RESULT {json}` line.
 */
import type { JsonPath, RequestPlan, RequestTemplate, Template } from './request-plan.js';

export const RESULT_PREFIX = 'BENCH_RESULT ';

export interface WrkScriptOptions {
  plan: Extract<RequestPlan, { kind: 'single' | 'chain' }>;
  /** Prefix of this run's unique strings (`uniqueString(tag, n)`). */
  tag: string;
  /** Count 2xx answers containing `"errors"` as failed (GraphQL targets). */
  graphqlErrors: boolean;
}

export function wrkScript(options: WrkScriptOptions): string {
  const { plan } = options;
  const chain = plan.kind === 'chain';
  const first = chain ? plan.first : plan.request;
  return [
    `local tag = ${luaString(options.tag)}`,
    `local check_errors = ${options.graphqlErrors}`,
    `local chain = ${chain}`,
    `local first_fixed = ${!chain && !hasSlots(first)}`,
    `local first = ${luaTemplate(first)}`,
    `local second = ${chain ? luaTemplate(plan.second) : 'nil'}`,
    `local paths = ${chain ? luaPaths(plan.paths) : '{}'}`,
    LUA_BODY,
  ].join('\n');
}

function hasSlots(template: RequestTemplate): boolean {
  return [template.path, template.body, ...Object.values(template.headers)].some((parts) => parts.some((part) => typeof part !== 'string'));
}

function luaTemplate(template: RequestTemplate): string {
  const headers = Object.entries(template.headers).map(([name, value]) => `[${luaString(name)}] = ${luaParts(value)}`);
  return `{ method = ${luaString(template.method)}, path = ${luaParts(template.path)}, body = ${luaParts(template.body)}, headers = { ${headers.join(', ')} } }`;
}

function luaParts(parts: Template): string {
  return `{ ${parts.map((part) => (typeof part === 'string' ? luaString(part) : String(part.slot))).join(', ')} }`;
}

/** JSON paths with array indexes made 1-based for Lua tables. */
function luaPaths(paths: JsonPath[]): string {
  return `{ ${paths.map((path) => `{ ${path.map((key) => (typeof key === 'number' ? `${key + 1}` : luaString(key))).join(', ')} }`).join(', ')} }`;
}

/** A Lua string literal for any UTF-8 text: printable ASCII kept, every other byte as \ddd. */
export function luaString(text: string): string {
  let out = '"';
  for (const byte of Buffer.from(text, 'utf8')) {
    out += byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c ? String.fromCharCode(byte) : `\\${byte.toString().padStart(3, '0')}`;
  }
  return `${out}"`;
}

const LUA_BODY = String.raw`
-- Counters are globals so done() can read them from each thread with thread:get().
sent, non2xx, graphql_errors, firsts, seconds = 0, 0, 0, 0, 0
local counter = 0
local fixed_request = nil
local queue = {}
local threads = {}

local function render(parts, values)
  local out = {}
  for i = 1, #parts do
    local part = parts[i]
    if type(part) == "number" then out[i] = values[part] else out[i] = part end
  end
  return table.concat(out)
end

local function format(template, values)
  local headers = {}
  for name, parts in pairs(template.headers) do headers[name] = render(parts, values) end
  return wrk.format(template.method, render(template.path, values), headers, render(template.body, values))
end

-- A small JSON reader: enough to find ids in an answer. Numbers stay as their text.
local function decode(s)
  local pos = 1
  local escapes = { b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }
  local value
  local function skip() pos = s:find("[^ \t\r\n]", pos) or (#s + 1) end
  local function utf8(code)
    if code < 0x80 then return string.char(code) end
    if code < 0x800 then return string.char(0xC0 + math.floor(code / 0x40), 0x80 + code % 0x40) end
    return string.char(0xE0 + math.floor(code / 0x1000), 0x80 + math.floor(code / 0x40) % 0x40, 0x80 + code % 0x40)
  end
  local function str()
    pos = pos + 1
    local buf = {}
    while true do
      local j = s:find('["\\]', pos)
      if not j then error("unterminated string") end
      buf[#buf + 1] = s:sub(pos, j - 1)
      if s:sub(j, j) == '"' then pos = j + 1; return table.concat(buf) end
      local e = s:sub(j + 1, j + 1)
      if e == "u" then
        buf[#buf + 1] = utf8(tonumber(s:sub(j + 2, j + 5), 16))
        pos = j + 6
      else
        buf[#buf + 1] = escapes[e] or e
        pos = j + 2
      end
    end
  end
  value = function()
    skip()
    local c = s:sub(pos, pos)
    if c == "{" then
      local t = {}
      pos = pos + 1
      skip()
      if s:sub(pos, pos) == "}" then pos = pos + 1; return t end
      while true do
        skip()
        local k = str()
        skip()
        pos = pos + 1 -- ':'
        t[k] = value()
        skip()
        local d = s:sub(pos, pos)
        pos = pos + 1
        if d == "}" then return t end
      end
    elseif c == "[" then
      local t = {}
      pos = pos + 1
      skip()
      if s:sub(pos, pos) == "]" then pos = pos + 1; return t end
      while true do
        t[#t + 1] = value()
        skip()
        local d = s:sub(pos, pos)
        pos = pos + 1
        if d == "]" then return t end
      end
    elseif c == '"' then
      return str()
    elseif s:sub(pos, pos + 3) == "true" then pos = pos + 4; return true
    elseif s:sub(pos, pos + 4) == "false" then pos = pos + 5; return false
    elseif s:sub(pos, pos + 3) == "null" then pos = pos + 4; return nil
    else
      local num = s:match("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
      if not num or num == "" then error("unexpected character at " .. pos) end
      pos = pos + #num
      return num
    end
  end
  return value()
end

-- The values for slots 1.. from a first-step answer, or nil when it is not one.
local function extract(doc)
  local values = {}
  for i = 1, #paths do
    local node = doc
    for _, key in ipairs(paths[i]) do
      if type(node) ~= "table" then return nil end
      node = node[key]
    end
    if type(node) ~= "string" then return nil end
    values[i] = node
  end
  return values
end

setup = function(thread)
  table.insert(threads, thread)
end

request = function()
  sent = sent + 1
  if first_fixed then
    -- Same bytes every time: format once.
    fixed_request = fixed_request or format(first, {})
    return fixed_request
  end
  if chain and #queue > 0 then
    return format(second, table.remove(queue, 1))
  end
  counter = counter + 1
  return format(first, { [0] = tag .. "x" .. counter })
end

response = function(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1; return end
  if check_errors and body:find('"errors"', 1, true) then graphql_errors = graphql_errors + 1; return end
  if chain then
    local ok, doc = pcall(decode, body)
    local values = ok and type(doc) == "table" and extract(doc) or nil
    if values then
      queue[#queue + 1] = values
      firsts = firsts + 1
    else
      seconds = seconds + 1
    end
  end
end

done = function(summary, latency, requests)
  local totals = { sent = 0, non2xx = 0, graphql_errors = 0, firsts = 0, seconds = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do totals[name] = totals[name] + (thread:get(name) or 0) end
  end
  local e = summary.errors
  io.write(string.format(
    '${RESULT_PREFIX}{"requests":%d,"durationUs":%d,"p50Us":%.1f,"p99Us":%.1f,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"timeouts":%d,"statusErrors":%d,"sent":%d,"non2xx":%d,"graphqlErrors":%d,"firsts":%d,"seconds":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.timeout, e.status,
    totals.sent, totals.non2xx, totals.graphql_errors, totals.firsts, totals.seconds))
end
`;
