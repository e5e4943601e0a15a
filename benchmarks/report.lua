-- Optional cache busting: WRK_BUST=1 adds a unique query parameter to every
-- request, so each one misses the page caches and renders from the database.
if os.getenv("WRK_BUST") then
  local counter = 0
  request = function()
    counter = counter + 1
    local sep = wrk.path:find("?", 1, true) and "&" or "?"
    return wrk.format(nil, wrk.path .. sep .. "_=" .. math.random(1, 1e9) .. counter)
  end
end

-- Prints requests/s and latency percentiles of a wrk run as one JSON line.
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
