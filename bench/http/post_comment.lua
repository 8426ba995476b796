-- Signed-in readers post comments as fast as wrk can send them: each request comes from the
-- next reader in PADDOCK_BENCH_READERS (a Lua file returning {{session key, CSRF secret}, ...})
-- with its session cookie, CSRF cookie and token, and a body of its own (the spam heuristics
-- hold repeated text). Each request also carries its own X-Forwarded-For address, as behind a
-- proxy: the per-address limit stands for many readers on many networks, not one.
-- Done prints the BENCH_JSON line of report.lua plus the count of each HTTP status.

local readers = dofile(os.getenv("PADDOCK_BENCH_READERS"))
local path = os.getenv("PADDOCK_BENCH_POST_PATH")
local threads_total = tonumber(os.getenv("PADDOCK_BENCH_THREADS") or "2")
-- Each run starts further along the readers, so a reader never sends the same text twice.
local offset = tonumber(os.getenv("PADDOCK_BENCH_OFFSET") or "0")
local words = {
  "range", "charging", "battery", "dealer", "warranty", "winter", "motorway", "torque",
  "suspension", "tyres", "price", "lease", "hybrid", "diesel", "factory", "union", "tariff",
  "pickup", "hatchback", "estate", "recall", "software", "update", "brakes", "comfort",
  "cabin", "seats", "boot", "towing", "efficiency", "heat", "pump", "plant", "supplier",
  "engineers", "steering", "review", "rival", "market", "subsidy", "insurance", "service",
  "interval", "resale", "value", "commute", "family", "weekend", "mountain", "coast",
}
local threads = {}
local counter = 0
statuses = {} -- global: done() collects each thread's through thread:get

function setup(thread)
  thread:set("thread_no", #threads)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + 7919 * thread_no + offset)
end

function request()
  counter = counter + 1
  local n = ((offset + counter * threads_total + thread_no) % #readers) + 1
  local reader = readers[n]
  local text = {"Comment", tostring(offset), tostring(thread_no), tostring(counter) .. ":"}
  for i = 1, 14 do
    text[#text + 1] = words[math.random(#words)]
  end
  local body = "body=" .. table.concat(text, "+") .. "&csrfmiddlewaretoken=" .. reader[2] ..
    "&website=&started="
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "sessionid=" .. reader[1] .. "; csrftoken=" .. reader[2],
    ["X-Forwarded-For"] = string.format("10.%d.%d.%d", thread_no, math.floor(counter / 250) % 250,
      counter % 250 + 1),
  }
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(99), latency.max))
  local seen = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      seen[status] = (seen[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(seen) do
    parts[#parts + 1] = string.format('"%d": %d', status, count)
  end
  io.write("BENCH_STATUS {" .. table.concat(parts, ", ") .. "}\n")
end
