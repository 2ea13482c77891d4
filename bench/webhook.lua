-- wrk script: posts pre-signed webhook deliveries from $PAYLOADS ("<sig>\t<body>" per line),
-- each thread walking its own slice so every delivery is sent once. Several wrk processes share
-- the file without overlap with SLICE_OFFSET (this process's first slice) and SLICE_STRIDE (the
-- threads of all processes).
local payloads = {}
local path = os.getenv("WEBHOOK_PATH")
for line in io.lines(os.getenv("PAYLOADS")) do
  local tab = line:find("\t", 1, true)
  payloads[#payloads + 1] = { line:sub(1, tab - 1), line:sub(tab + 1) }
end

local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  stride = tonumber(os.getenv("SLICE_STRIDE") or os.getenv("WRK_THREADS") or "2")
  counter = id + tonumber(os.getenv("SLICE_OFFSET") or "0")
end

function request()
  local p = payloads[(counter % #payloads) + 1]
  counter = counter + stride
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/json",
    ["X-Hub-Signature-256"] = p[1],
  }, p[2])
end
