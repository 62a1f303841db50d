-- wrk script: valid comment form posts, each unique (so none is refused
-- as a duplicate), carrying the form stamp the page handed out (GZ_TS).
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
	return wrk.format("POST", "/comments",
		{ ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
function response(status)
	if status ~= 303 then
		bad = (bad or 0) + 1
	end
end
