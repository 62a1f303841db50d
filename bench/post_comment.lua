-- wrk script: valid comment form posts, each unique (so none is refused
-- as a duplicate), carrying the form stamp the page handed out (GZ_TS).
-- A stamp is good for one comment per client, so each post comes from
-- its own client: an X-Forwarded-For address (its own IPv6 /64), which
-- the server believes because the bench site sets trusted_proxy to
-- 127.0.0.1 (comments.sh).
local ts = os.getenv("GZ_TS")
local threads, next_id = {}, 1
function setup(thread)
	thread:set("tid", next_id)
	next_id = next_id + 1
end
local n = 0
function request()
	n = n + 1
	local who = tid .. "-" .. n
	local body = "comment=Benchmark+comment+" .. who .. "+on+trade+and+energy+links" ..
		"&author=Bench+Reader+" .. who .. "&email=bench" .. who .. "%40example.com" ..
		"&url=&comment_post_ID=1&comment_parent=0&gz_website=&gz_ts=" .. ts
	local client = string.format("fd00:%x:%x:%x::1", tid, math.floor(n / 65536), n % 65536)
	return wrk.format("POST", "/comments",
		{ ["Content-Type"] = "application/x-www-form-urlencoded",
		  ["X-Forwarded-For"] = client }, body)
end
function response(status)
	if status ~= 303 then
		bad = (bad or 0) + 1
	end
end
