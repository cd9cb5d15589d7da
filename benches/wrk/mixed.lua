-- wrk script: the design's mix, ten reads of a hot paste to one creation.
-- BENCH_READ_PATH plus the variables of create.lua come from benches/load.
local f = assert(io.open(os.getenv("BENCH_BODY_FILE"), "rb"))
local body = f:read("*a")
f:close()
local method = os.getenv("BENCH_METHOD")
local create_path = os.getenv("BENCH_PATH")
local read_path = os.getenv("BENCH_READ_PATH")
local headers = { ["Content-Type"] = os.getenv("BENCH_CONTENT_TYPE") }
local n = 0
request = function()
  n = n + 1
  if n % 11 == 0 then
    return wrk.format(method, create_path, headers, body)
  end
  return wrk.format("GET", read_path)
end
