-- Steady load over a few pages, counted second by second (bench/http_load.py's publish run).
-- PADDOCK_BENCH_PATHS: the paths, comma-separated, asked in turn by each connection.
-- Prints report.lua's BENCH_JSON line, then BENCH_SECONDS: for each wall-clock second,
-- [answers below 400, answers of 400 and above].
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for path in string.gmatch(os.getenv("PADDOCK_BENCH_PATHS") or "/", "[^,]+") do
    table.insert(paths, path)
  end
  turn = 0
  good = {}
  bad = {}
end

function request()
  turn = turn % #paths + 1
  return wrk.format("GET", paths[turn])
end

function response(status, headers, body)
  local second = os.time()
  if status >= 400 then
    bad[second] = (bad[second] or 0) + 1
  else
    good[second] = (good[second] or 0) + 1
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(99), latency.max))
  local seconds = {}
  for _, thread in ipairs(threads) do
    for second, n in pairs(thread:get("good")) do
      seconds[second] = seconds[second] or {0, 0}
      seconds[second][1] = seconds[second][1] + n
    end
    for second, n in pairs(thread:get("bad")) do
      seconds[second] = seconds[second] or {0, 0}
      seconds[second][2] = seconds[second][2] + n
    end
  end
  local parts = {}
  for second, counts in pairs(seconds) do
    table.insert(parts, string.format('"%d": [%d, %d]', second, counts[1], counts[2]))
  end
  io.write("BENCH_SECONDS {" .. table.concat(parts, ", ") .. "}\n")
end
