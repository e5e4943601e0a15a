-- POSTs to each path of WRK_PATHS (a file, one path per line) in turn, with the
-- CSRF token of WRK_CSRF and the form body WRK_BODY, so that every request
-- acts on another object (finalizes another inspection, rates another ticket).
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  paths[#paths + 1] = line
end
local counter = 0
local headers = {
  ["X-CSRFToken"] = os.getenv("WRK_CSRF"),
  ["Content-Type"] = "application/x-www-form-urlencoded",
  ["Referer"] = os.getenv("WRK_REFERER"),
}

-- wrk.format replaces the -H headers when given its own: keep the cookie.
for name, value in pairs(wrk.headers) do
  headers[name] = value
end

local body = os.getenv("WRK_BODY") or ""

request = function()
  counter = counter + 1
  return wrk.format("POST", paths[(counter - 1) % #paths + 1], headers, body)
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"requests": %d, "errors": %d, "rps": %.2f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f}\n',
    summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout,
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
