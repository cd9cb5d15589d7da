-- wrk script: every request creates a paste.
-- BENCH_METHOD, BENCH_PATH, BENCH_CONTENT_TYPE and BENCH_BODY_FILE come from benches/load.
local f = assert(io.open(os.getenv("BENCH_BODY_FILE"), "rb"))
wrk.body = f:read("*a")
f:close()
wrk.method = os.getenv("BENCH_METHOD")
wrk.path = os.getenv("BENCH_PATH")
wrk.headers["Content-Type"] = os.getenv("BENCH_CONTENT_TYPE")
