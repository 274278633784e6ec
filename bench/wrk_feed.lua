-- Feed polls as calendar apps make them: every second request is conditional (If-None-Match
-- with the feed's ETag, taken from MARQUEE_ETAG), so a 304 until the next publish.
local etag = os.getenv("MARQUEE_ETAG")
local n = 0

request = function()
  n = n + 1
  if etag and n % 2 == 0 then
    return wrk.format("GET", nil, { ["If-None-Match"] = etag })
  end
  return wrk.format("GET")
end
